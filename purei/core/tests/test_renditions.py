"""Renditions of a stored picture (purei.core.renditions) and the ``{% picture %}``
tag that shows them. Files go to the test settings' in-memory storage."""

from __future__ import annotations

import io
import uuid
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template import Context, Template
from PIL import Image

from purei.core.renditions import (
    Rendition,
    RenditionFailed,
    rendition_fallback,
    rendition_files,
    rendition_name,
    rendition_up_to,
    rendition_url,
    rendition_widths,
    renditions_create,
    renditions_delete,
    renditions_encode,
    renditions_store,
    srcset,
)
from purei.core.tests.pictures import picture_bytes, png_claiming_size


def _stored(data: bytes, extension: str = "jpg") -> str:
    name = f"catalogue/products/2026/11/{uuid.uuid4().hex}.{extension}"
    return default_storage.save(name, ContentFile(data))


def _open(name: str) -> Image.Image:
    with default_storage.open(name, "rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
    return image


@pytest.mark.parametrize(
    ("width", "widths"),
    [
        (2400, [320, 640, 1024, 1600]),
        (1600, [320, 640, 1024, 1600]),
        (1200, [320, 640, 1024, 1200]),
        (640, [320, 640]),
        (500, [320, 500]),
        (200, [200]),
    ],
)
def test_widths_never_exceed_the_picture(width: int, widths: list[int]) -> None:
    # then
    assert rendition_widths(width) == widths


def test_makes_each_width_in_webp_and_jpeg_keeping_the_aspect_ratio() -> None:
    # given
    name = _stored(picture_bytes(1200, 800))
    # when
    renditions = renditions_create(name)
    # then
    assert [(r["w"], r["h"]) for r in renditions] == [
        (320, 213),
        (640, 427),
        (1024, 683),
        (1200, 800),
    ]
    for rendition in renditions:
        webp, jpeg = _open(rendition["webp"]), _open(rendition["jpeg"])
        assert webp.format == "WEBP"
        assert jpeg.format == "JPEG"
        assert webp.size == jpeg.size == (rendition["w"], rendition["h"])


def test_names_follow_the_original_under_renditions() -> None:
    # given
    name = _stored(picture_bytes(400, 300))
    folder, stem = name.rsplit("/", 1)[0], name.rsplit("/", 1)[1][:-4]
    # when
    renditions = renditions_create(name)
    # then
    assert [(r["webp"], r["jpeg"]) for r in renditions] == [
        (
            f"renditions/{folder}/{stem}-{w}w.webp",
            f"renditions/{folder}/{stem}-{w}w.jpg",
        )
        for w in (320, 400)
    ]


def test_a_small_picture_is_not_enlarged() -> None:
    # given
    name = _stored(picture_bytes(250, 400))
    # when
    renditions = renditions_create(name)
    # then
    assert [(r["w"], r["h"]) for r in renditions] == [(250, 400)]
    assert _open(renditions[0]["jpeg"]).size == (250, 400)


def test_a_wide_picture_stops_at_1600() -> None:
    # given
    name = _stored(picture_bytes(2000, 1000))
    # when
    renditions = renditions_create(name)
    # then
    assert [(r["w"], r["h"]) for r in renditions][-1] == (1600, 800)


def test_transparency_is_kept_in_webp_and_flattened_onto_white_in_jpeg() -> None:
    # given: a red square on a fully transparent background
    image = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    image.paste((200, 0, 0, 255), (100, 100, 300, 300))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    name = _stored(buffer.getvalue(), "png")
    # when
    renditions = renditions_create(name)
    # then
    webp = _open(renditions[-1]["webp"])
    jpeg = _open(renditions[-1]["jpeg"])
    see_through = webp.getpixel((5, 5))
    corner = jpeg.getpixel((5, 5))
    centre = jpeg.getpixel((200, 200))
    assert isinstance(see_through, tuple)
    assert isinstance(corner, tuple)
    assert isinstance(centre, tuple)
    assert webp.mode == "RGBA"
    assert see_through[3] == 0
    assert jpeg.mode == "RGB"
    assert min(corner) >= 250  # white, not black
    assert centre[0] > 180
    assert centre[1] < 40


def test_rendering_again_replaces_the_files_under_the_same_names() -> None:
    # given
    name = _stored(picture_bytes(400, 300))
    first = renditions_create(name)
    # when
    second = renditions_create(name)
    # then
    assert second == first
    assert all(default_storage.exists(n) for n in rendition_files(second))


def test_delete_removes_every_file() -> None:
    # given
    renditions = renditions_create(_stored(picture_bytes(700, 500)))
    names = rendition_files(renditions)
    assert len(names) == 6
    assert all(default_storage.exists(n) for n in names)
    # when
    renditions_delete(renditions)
    # then
    assert not any(default_storage.exists(n) for n in names)


def test_refuses_a_decompression_bomb() -> None:
    # given: a tiny PNG claiming 20,000 by 20,000 pixels
    name = _stored(png_claiming_size(20_000, 20_000), "png")
    # when / then
    with pytest.raises(RenditionFailed):
        renditions_create(name)
    assert not default_storage.exists(f"renditions/{name[:-4]}-320w.webp")


def test_refuses_what_is_not_a_picture_or_is_missing() -> None:
    # given
    name = _stored(b"not a picture at all", "jpg")
    # when / then
    with pytest.raises(RenditionFailed):
        renditions_create(name)
    with pytest.raises(RenditionFailed):
        renditions_create("catalogue/products/2026/11/missing.jpg")


# --- Reading renditions: names and MEDIA_URL only --------------------------------


def _rendition(w: int, h: int) -> Rendition:
    return {
        "w": w,
        "h": h,
        "webp": f"renditions/p/a-{w}w.webp",
        "jpeg": f"renditions/p/a-{w}w.jpg",
    }


RENDITIONS = [
    _rendition(w, h) for w, h in ((320, 240), (640, 480), (1024, 768), (1600, 1200))
]


def test_urls_and_srcsets_come_from_names_without_any_file() -> None:
    # then: none of these files exists
    assert rendition_url("renditions/p/a b.jpg") == "/media/renditions/p/a%20b.jpg"
    assert srcset(RENDITIONS[:2], "webp") == (
        "/media/renditions/p/a-320w.webp 320w, /media/renditions/p/a-640w.webp 640w"
    )


def _width(rendition: Rendition | None) -> int | None:
    return None if rendition is None else rendition["w"]


def test_fallback_and_share_widths() -> None:
    # then
    assert _width(rendition_fallback(RENDITIONS)) == 640
    assert _width(rendition_fallback(RENDITIONS, 1000)) == 1024
    assert _width(rendition_fallback(RENDITIONS[:1], 640)) == 320
    assert _width(rendition_up_to(RENDITIONS)) == 1024
    assert _width(rendition_up_to(RENDITIONS[-1:])) == 1600
    assert rendition_fallback([]) is None
    assert rendition_up_to([]) is None


# --- {% picture %} ---------------------------------------------------------------


def _photo(alt: str = "A jar of honey", renditions: object = RENDITIONS) -> object:
    return SimpleNamespace(
        renditions=renditions,
        image=SimpleNamespace(url="/media/catalogue/products/a.jpg"),
        width=1600,
        height=1200,
        alt_text=alt,
    )


def _render(source: str, photo: object) -> str:
    template = Template("{% load pictures %}" + source)
    return template.render(Context({"photo": photo}))


def test_picture_has_a_webp_source_and_a_jpeg_fallback() -> None:
    # when
    html = _render(
        '{% picture photo sizes="(max-width: 40rem) 100vw, 20rem" %}', _photo()
    )
    # then
    sizes = 'sizes="(max-width: 40rem) 100vw, 20rem"'
    assert html == (
        '<picture><source type="image/webp" srcset="'
        "/media/renditions/p/a-320w.webp 320w, /media/renditions/p/a-640w.webp 640w, "
        "/media/renditions/p/a-1024w.webp 1024w, /media/renditions/p/a-1600w.webp "
        f'1600w" {sizes}><img src="/media/renditions/p/a-640w.jpg" srcset="'
        "/media/renditions/p/a-320w.jpg 320w, /media/renditions/p/a-640w.jpg 640w, "
        "/media/renditions/p/a-1024w.jpg 1024w, /media/renditions/p/a-1600w.jpg "
        f'1600w" {sizes} width="640" height="480" alt="A jar of honey" '
        'decoding="async"></picture>'
    )


def test_picture_is_lazy_and_classed_only_when_asked() -> None:
    # when
    lazy = _render('{% picture photo lazy=True css_class="card__photo" %}', _photo())
    eager = _render("{% picture photo lazy=False %}", _photo())
    # then
    assert ' loading="lazy" decoding="async" class="card__photo">' in lazy
    assert "loading=" not in eager
    assert "class=" not in eager
    assert 'sizes="100vw"' in eager


def test_picture_fallback_width_sets_the_intrinsic_size() -> None:
    # when
    html = _render("{% picture photo fallback_width=1024 %}", _photo())
    # then
    assert 'src="/media/renditions/p/a-1024w.jpg"' in html
    assert 'width="1024" height="768"' in html


def test_picture_escapes_alt_text_sizes_and_class() -> None:
    # given
    photo = _photo(alt='"><script>alert(1)</script>')
    # when
    html = Template(
        "{% load pictures %}{% picture photo sizes=sizes css_class=css %}"
    ).render(Context({"photo": photo, "sizes": '"><b>', "css": '"onload="x'}))
    # then
    assert "<script>" not in html
    assert "<b>" not in html
    assert 'alt="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert 'sizes="&quot;&gt;&lt;b&gt;"' in html
    assert 'class="&quot;onload=&quot;x"' in html


def test_without_renditions_it_is_the_original_img() -> None:
    # when
    html = _render(
        "{% picture photo lazy=True %}", _photo(alt="<Honey>", renditions=[])
    )
    # then
    assert html == (
        '<img src="/media/catalogue/products/a.jpg" '
        'srcset="/media/catalogue/products/a.jpg 1600w" sizes="100vw" '
        'width="1600" height="1200" alt="&lt;Honey&gt;" loading="lazy" '
        'decoding="async">'
    )
    assert _render("{% picture None %}", None) == ""


def test_encoding_stores_nothing_and_storing_names_the_files() -> None:
    # given
    name = _stored(picture_bytes(500, 250))
    with default_storage.open(name, "rb") as stored:
        data = stored.read()
    # when
    encoded = renditions_encode(data)
    # then
    assert [(e.w, e.h) for e in encoded] == [(320, 160), (500, 250)]
    assert not default_storage.exists(rendition_name(name, 320, "webp"))
    # when
    renditions = renditions_store(name, encoded)
    # then
    assert renditions == renditions_create(name)
    assert _open(renditions[0]["webp"]).size == (320, 160)
