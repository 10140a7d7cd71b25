import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from purei.core.images import (
    MAX_UPLOAD_BYTES,
    UploadRejected,
    evidence_clean,
    logo_clean,
    photo_clean,
    picture_clean,
)
from purei.core.tests.pictures import (
    PDF_BYTES,
    SVG_BYTES,
    gif_bomb,
    picture_bytes,
    png_claiming_size,
    upload,
)


def reopened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def rejection(call, file) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        call(file)
    return caught.value


def test_a_jpeg_with_gps_comes_out_without_any_metadata():
    # given
    data = picture_bytes(800, 600, gps=True)
    original = Image.open(io.BytesIO(data)).getexif()
    assert original.get_ifd(ExifTags.IFD.GPSInfo)  # the test picture has GPS
    assert original[ExifTags.Base.Make] == "Kiwi Camera Co"
    # when
    clean = photo_clean(upload("IMG_0001.jpg", data))
    # then
    out = reopened(clean.content.read())
    exif = out.getexif()
    assert len(exif) == 0
    assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
    assert "exif" not in out.info
    assert "icc_profile" not in out.info
    assert b"Kiwi Camera" not in clean.content.read()
    assert out.format == "JPEG"


def test_photos_are_resized_to_fit_1600_pixels():
    # when
    clean = photo_clean(upload(data=picture_bytes(3200, 2000)))
    # then
    assert (clean.width, clean.height) == (1600, 1000)
    assert reopened(clean.content.read()).size == (1600, 1000)


def test_logos_are_resized_to_fit_800_pixels():
    # when
    clean = logo_clean(
        upload("logo.png", picture_bytes(1200, 1200, "PNG"), "image/png")
    )
    # then
    assert (clean.width, clean.height) == (800, 800)
    assert clean.format == "PNG"


def test_small_enough_pictures_keep_their_size():
    # when
    clean = photo_clean(upload(data=picture_bytes(640, 480)))
    # then
    assert (clean.width, clean.height) == (640, 480)


def test_the_picture_is_turned_the_right_way_up_before_its_exif_goes():
    # given: stored 400 by 300, to be shown rotated a quarter turn
    data = picture_bytes(400, 300, orientation=6)
    # when
    clean = photo_clean(upload(data=data))
    # then
    assert (clean.width, clean.height) == (300, 400)


def test_png_keeps_its_transparency_and_webp_stays_webp():
    # when
    png = photo_clean(
        upload(
            "a.png",
            picture_bytes(300, 300, "PNG", mode="RGBA", colour=(0, 0, 0, 0)),
            "image/png",
        )
    )
    webp = photo_clean(upload("a.webp", picture_bytes(300, 300, "WEBP"), "image/webp"))
    # then
    assert reopened(png.content.read()).mode == "RGBA"
    assert webp.format == "WEBP"
    assert str(png.content.name).endswith(".png")
    assert str(webp.content.name).endswith(".webp")


def test_the_uploaders_file_name_is_not_kept():
    # when
    clean = photo_clean(upload("aroha-home-41.5S-173.9E.jpg"))
    # then
    assert "aroha" not in str(clean.content.name)
    assert clean.content.name == "picture.jpg"


def test_type_is_judged_by_content_not_name():
    # when: a PNG named .jpg
    clean = photo_clean(upload("photo.jpg", picture_bytes(300, 300, "PNG")))
    # then
    assert clean.format == "PNG"


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("notes.jpg", b"Kia ora, this is not a picture at all.", "image_type"),
        ("logo.svg", SVG_BYTES, "image_type"),
        ("bomb.gif", gif_bomb(), "image_type"),
        (
            "anim.gif",
            picture_bytes(300, 300, "GIF", mode="P", colour=(1,)),
            "image_type",
        ),
        ("pic.bmp", picture_bytes(300, 300, "BMP"), "image_type"),
        ("huge.png", png_claiming_size(9000, 9000), "image_too_big"),
        ("bomb.png", png_claiming_size(60000, 60000), "image_type"),
        ("tiny.jpg", picture_bytes(150, 400), "image_too_small"),
        ("empty.jpg", b"", "image_type"),
    ],
)
def test_pictures_we_cannot_use_are_refused_with_a_reason(name, data, code):
    # when
    refused = rejection(photo_clean, upload(name, data))
    # then
    assert refused.code == code
    assert refused.message


def test_a_truncated_jpeg_is_refused_as_damaged():
    # given
    data = picture_bytes(1000, 800)
    # when
    refused = rejection(photo_clean, upload(data=data[: len(data) // 2]))
    # then
    assert refused.code == "image_damaged"


def test_more_than_8_mb_is_refused_before_it_is_read():
    # given
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * MAX_UPLOAD_BYTES)
    # when
    refused = rejection(photo_clean, big)
    # then
    assert refused.code == "image_too_large"
    assert "8 MB" in refused.message


def test_the_limits_are_parameters():
    # when
    refused = rejection(
        lambda f: picture_clean(f, min_side=500), upload(data=picture_bytes(400, 400))
    )
    # then
    assert refused.code == "image_too_small"
    assert "500" in refused.message


def test_pdf_evidence_is_kept_as_it_is():
    # when
    clean = evidence_clean(upload("licence.pdf", PDF_BYTES, "application/pdf"))
    # then
    assert clean.content_type == "application/pdf"
    assert clean.content.read() == PDF_BYTES
    assert clean.content.name == "evidence.pdf"


def test_picture_evidence_loses_its_metadata():
    # when
    clean = evidence_clean(upload("scan.jpg", picture_bytes(1200, 900, gps=True)))
    # then
    assert clean.content_type == "image/jpeg"
    assert len(reopened(clean.content.read()).getexif()) == 0


def test_small_picture_evidence_is_fine():
    # then
    assert evidence_clean(upload(data=picture_bytes(120, 80))).content_type == (
        "image/jpeg"
    )


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"just text", "evidence_type"),
        (SVG_BYTES, "evidence_type"),
        (picture_bytes(300, 300, "WEBP"), "evidence_type"),
        (gif_bomb(), "evidence_type"),
        (b"", "evidence_type"),
        (b"%PDF-" + b"0" * (10 * 1024 * 1024), "evidence_too_large"),
    ],
)
def test_evidence_we_cannot_keep_is_refused(data, code):
    # then
    assert rejection(evidence_clean, upload("evidence.pdf", data)).code == code
