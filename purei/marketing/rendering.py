"""A story as its pages, feed, API and emails show it.

``story_sections`` gives the blocks of one language version in order — sanitised
text (``purei.marketing.story_text``) and the story's own pictures, those the text
does not place at the end — for a template to draw (``{% picture %}``).
``story_html`` gives the same as one HTML string with absolute picture addresses,
for the feed, the API and the newsletter email, where no template tag runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from purei.core.links import absolute_url
from purei.core.renditions import rendition_fallback, rendition_url
from purei.marketing.models import Story, StoryImage
from purei.marketing.story_text import PictureBlock, story_blocks, unplaced

EMAIL_PICTURE_WIDTH = 640


@dataclass(frozen=True)
class Section:
    kind: str  # "text" or "picture"
    html: str = ""  # sanitised (a SafeString) for text
    image: StoryImage | None = None
    caption: str = ""


def _headings_up(html: str) -> str:
    for before, after in (("h3", "h2"), ("h4", "h3")):
        html = html.replace(f"<{before}>", f"<{after}>").replace(
            f"</{before}>", f"</{after}>"
        )
    return html


def _images(story: Story) -> dict[int, StoryImage]:
    return {image.number: image for image in story.images.all()}


def story_sections(story: Story, language: str) -> list[Section]:
    """The blocks of the ``language`` version of ``story``, in order."""
    images = _images(story)
    text = story.body_in(language)
    sections: list[Section] = []
    for block in story_blocks(text):
        if isinstance(block, PictureBlock):
            image = images.get(block.number)
            if image is not None:
                sections.append(
                    Section(kind="picture", image=image, caption=block.caption)
                )
        else:
            # Sanitised by nh3 with the members' allow-list (story_text); its
            # headings (h3, h4) move up one level under the story's own title.
            html = _headings_up(block.html)
            sections.append(Section(kind="text", html=mark_safe(html)))  # noqa: S308
    for number in unplaced(sorted(images), text):
        sections.append(Section(kind="picture", image=images[number]))
    return sections


def picture_src(image: StoryImage, width: int = EMAIL_PICTURE_WIDTH) -> str:
    """The absolute address of a JPEG of ``image`` about ``width`` wide."""
    fallback = rendition_fallback(list(image.renditions or []), width)
    path = rendition_url(fallback["jpeg"]) if fallback else image.image.url
    return absolute_url(path) if path.startswith("/") else path


def _size(image: StoryImage, width: int) -> tuple[int | None, int | None]:
    fallback = rendition_fallback(list(image.renditions or []), width)
    if fallback:
        return fallback["w"], fallback["h"]
    return image.width, image.height


def picture_html(image: StoryImage, caption: str = "") -> SafeString:
    width, height = _size(image, EMAIL_PICTURE_WIDTH)
    size = (
        format_html(' width="{}" height="{}"', width, height)
        if width and height
        else ""
    )
    figcaption = format_html("<figcaption>{}</figcaption>", caption) if caption else ""
    return format_html(
        '<figure><img src="{}"{} alt="{}">{}</figure>',
        picture_src(image),
        size,
        image.alt_text,
        figcaption,
    )


def story_html(story: Story, language: str) -> SafeString:
    """The ``language`` version of ``story`` as one HTML string (sanitised text,
    pictures with absolute addresses)."""
    parts: list[str] = []
    for section in story_sections(story, language):
        if section.kind == "picture" and section.image is not None:
            parts.append(picture_html(section.image, section.caption))
        else:
            parts.append(section.html)
    return mark_safe("\n".join(parts))  # noqa: S308 - each part is escaped or sanitised
