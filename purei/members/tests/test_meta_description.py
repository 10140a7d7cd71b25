"""The public member page's meta description: the story as plain text, escaped once
(issue 11, defect 12: it said ``&amp;lt;img…``)."""

import html
import re

import pytest
from django.test import Client

from purei.members.models import Member
from purei.members.story import render_story

pytestmark = pytest.mark.django_db

HOSTILE_STORY = 'Tom & Jerry <img src=x onerror=alert(1)> grow kai, 5 < 6 "always".'


def meta_description(body: str) -> str:
    """The content attribute of the page's meta description, as written."""
    match = re.search(r'<meta name="description" content="([^"]*)">', body)
    assert match is not None, "no meta description"
    return match.group(1)


def test_the_story_is_plain_text_escaped_once(client: Client, member_a: Member):
    # given
    Member.objects.filter(pk=member_a.pk).update(
        story=HOSTILE_STORY, story_html=render_story(HOSTILE_STORY)
    )
    # when
    response = client.get("/c/cluster-x/members/member-a/")
    # then
    assert response.status_code == 200
    content = meta_description(response.content.decode())
    assert html.unescape(content) == 'Tom & Jerry grow kai, 5 < 6 "always".'
    escaped_once = "Tom &amp; Jerry grow kai, 5 &lt; 6 &quot;always&quot;."
    assert content == escaped_once
    assert "&amp;amp;" not in content
    assert "&amp;lt;" not in content
    assert "img" not in content
    assert "onerror" not in content


def test_a_long_story_is_cut_to_thirty_words(client: Client, member_a: Member):
    # given
    story = " ".join(f"word{n} &" for n in range(40))
    Member.objects.filter(pk=member_a.pk).update(
        story=story, story_html=render_story(story)
    )
    # when
    content = meta_description(client.get("/c/cluster-x/members/member-a/").text)
    # then
    words = html.unescape(content).split()
    assert len(words) == 31  # thirty and the ellipsis
    assert words[:2] == ["word0", "&"]
    assert "&amp;amp;" not in content


def test_without_a_story_the_page_says_whose_it_is(client: Client, member_a: Member):
    # given
    Member.objects.filter(pk=member_a.pk).update(
        trading_name="Tom & Jerry's", story="", story_html=""
    )
    # when
    content = meta_description(client.get("/c/cluster-x/members/member-a/").text)
    # then
    assert html.unescape(content) == "Tom & Jerry's, a member of Cluster X Wine."
    assert "&amp;amp;" not in content
