"""The HTML part made from an email's text: escaped, links clickable, a link on
its own line a button, in the shared layout with the brand and the language."""

import pytest

from purei.core.mail import PUREI_BRAND_COLOUR, email_html, text_to_html


def test_text_becomes_escaped_paragraphs_with_clickable_links():
    # when
    html = text_to_html(
        "Kia ora <Aroha>,\n\nSee https://purei.test/a/?x=1&y=2 now.\n"
        "Your order's page:\nhttps://purei.test/orders/P1/?key=k\n\n--\nNgā mihi",
        link_colour="#5b2a86",
    )
    # then
    assert '<p style="margin:0 0 16px;">Kia ora &lt;Aroha&gt;,</p>' in html
    assert '<a style="color:#5b2a86;" href="https://purei.test/a/?x=1&amp;y=2">' in html
    button = '<a href="https://purei.test/orders/P1/?key=k" style="display:inline-block'
    assert button in html
    assert "background:#5b2a86;color:#ffffff" in html
    assert "<hr" in html
    assert "<script" not in text_to_html("<script>alert(1)</script>")


@pytest.mark.parametrize("language", ["en", "mi"])
def test_the_layout_carries_the_language_and_purei_brand_without_a_cluster(
    language: str,
):
    # when
    html = email_html(
        content=text_to_html("Hello"), subject="Welcome <to> Pūrei", language=language
    )
    # then
    assert f'<html lang="{language}">' in html
    assert PUREI_BRAND_COLOUR in html
    assert "<title>Welcome &lt;to&gt; Pūrei</title>" in html
    assert "<table" not in html
