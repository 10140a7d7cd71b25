import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from purei.members.story import render_story


def test_markdown_becomes_the_allowed_html():
    # given
    text = (
        "## Our whare\n\n"
        "We carve **tōtara** and _pounamu_.\n\n"
        "- waka huia\n- tekoteko\n\n"
        "1. first\n2. second\n\n"
        "> Toi tū, toi ora.\n\n"
        "#### Find us\n\n"
        "See [our site](https://toi.example.nz) or "
        "[email us](mailto:kia@toi.example.nz)."
    )
    # when
    html = render_story(text)
    # then
    assert "<h3>Our whare</h3>" in html
    assert "<strong>tōtara</strong>" in html
    assert "<em>pounamu</em>" in html
    assert "<ul>\n<li>waka huia</li>" in html
    assert "<ol>\n<li>first</li>" in html
    assert "<blockquote>" in html
    assert "<h4>Find us</h4>" in html
    assert (
        '<a href="https://toi.example.nz" rel="nofollow noopener">our site</a>' in html
    )
    assert 'href="mailto:kia@toi.example.nz"' in html


def test_top_level_headings_are_demoted_below_the_pages_own():
    # then
    assert render_story("# Big") == "<h3>Big</h3>"
    assert render_story("###### Small") == "<h4>Small</h4>"


def test_empty_story_is_empty_html():
    # then
    assert render_story("") == ""
    assert render_story("  \n ") == ""


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert('x')</script>",
        "Hello <script src=https://evil.example/x.js></script>",
        "<img src=x onerror=alert(1)>",
        '<a href="https://ok.example" onclick="alert(1)">x</a>',
        '<p onmouseover="alert(1)">hover</p>',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](  javascript:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[click](vbscript:msgbox(1))",
        '<a href="javascript&#58;alert(1)">x</a>',
        "![pic](https://evil.example/track.png)",
        '<iframe src="https://evil.example"></iframe>',
        "<style>body{display:none}</style>",
        '<div style="position:fixed">x</div>',
        "<svg><script>alert(1)</script></svg>",
        '<form action="https://evil.example"><input name=x></form>',
        "<object data=x></object><embed src=x>",
        '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
        "<!-- <script>alert(1)</script> -->",
    ],
)
def test_xss_payloads_leave_nothing_dangerous(payload):
    # when
    html = render_story(payload).lower()
    # then
    for bad in (
        "<script",
        "javascript:",
        "vbscript:",
        "data:",
        "onerror",
        "onclick",
        "onmouseover",
        "<img",
        "<iframe",
        "<style",
        "style=",
        "<svg",
        "<form",
        "<input",
        "<object",
        "<embed",
        "<math",
        "<!--",
        "alert(1)</script",
    ):
        assert bad not in html


def test_script_content_is_dropped_not_shown_as_text():
    # then
    assert "alert" not in render_story("Kia ora <script>alert('x')</script> koutou")


def test_relative_links_lose_their_address():
    # when
    html = render_story("[admin](/admin/) and [here](page.html)")
    # then
    assert "href" not in html
    assert "admin" in html


def test_raw_html_in_markdown_keeps_only_allowed_tags():
    # when
    html = render_story("<p>Hi <b>there</b> <strong>you</strong> <u>x</u></p>")
    # then
    assert html == "<p>Hi there <strong>you</strong> x</p>"


def test_links_written_with_rel_get_ours():
    # when
    html = render_story('<a href="https://x.example" rel="opener" target="_top">x</a>')
    # then
    assert html == '<p><a href="https://x.example" rel="nofollow noopener">x</a></p>'


@given(st.text(max_size=300))
def test_any_text_renders_without_scripts_or_event_handlers(text):
    # when
    html = render_story(text).lower()
    # then
    assert "<script" not in html
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", html)
    for tag in ("<img", "<iframe", "<style", "<svg"):
        assert tag not in html
