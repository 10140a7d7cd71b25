"""A story's Markdown as blocks: sanitised text, and the story's own pictures.

The text is rendered exactly as a member's story is (``purei.members.story``:
Markdown, then nh3 with the same allow-list — no images, scripts, styles or
other URL schemes survive). Pictures come only from the story's own uploads,
checked and cleaned like every upload: a line holding nothing but
``![A description](image:2)`` places picture number 2 there, and the template
draws it (``{% picture %}``); any other image syntax is dropped by the sanitiser.
Pictures the text does not place are shown after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from purei.members.story import render_story

MAX_BODY_LENGTH = 40_000
_PICTURE_LINE = re.compile(
    r"^\s*!\[(?P<alt>[^\]\n]*)\]\(image:(?P<number>\d{1,4})\)\s*$"
)


@dataclass(frozen=True)
class TextBlock:
    html: str  # sanitised

    kind = "text"


@dataclass(frozen=True)
class PictureBlock:
    number: int
    caption: str  # the alt text typed in the Markdown (may be empty)

    kind = "picture"


Block = TextBlock | PictureBlock


def picture_numbers(text: str) -> list[int]:
    """The picture numbers ``text`` places, in order."""
    return [
        int(match.group("number"))
        for line in text.splitlines()
        if (match := _PICTURE_LINE.match(line))
    ]


def story_blocks(text: str) -> list[Block]:
    """``text`` (Markdown) as text and picture blocks, in order."""
    blocks: list[Block] = []
    pending: list[str] = []

    def flush() -> None:
        html = render_story("\n".join(pending))
        if html:
            blocks.append(TextBlock(html=html))
        pending.clear()

    for line in text.splitlines():
        match = _PICTURE_LINE.match(line)
        if match is None:
            pending.append(line)
            continue
        flush()
        blocks.append(
            PictureBlock(
                number=int(match.group("number")), caption=match.group("alt").strip()
            )
        )
    flush()
    return blocks


def story_plain_text(text: str) -> str:
    """``text`` for the plain-text part of an email: Markdown is readable as it
    is; picture lines become their description in brackets."""
    lines: list[str] = []
    for line in text.splitlines():
        match = _PICTURE_LINE.match(line)
        if match is None:
            lines.append(line.rstrip())
        elif caption := match.group("alt").strip():
            lines.append(f"[{caption}]")
    return "\n".join(lines).strip()


def unplaced(numbers: Iterable[int], text: str) -> list[int]:
    """The picture ``numbers`` the text does not place."""
    placed = set(picture_numbers(text))
    return [number for number in numbers if number not in placed]
