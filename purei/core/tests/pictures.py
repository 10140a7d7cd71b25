"""Small real pictures and files, made in memory for upload tests."""

from __future__ import annotations

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def picture_bytes(
    width: int = 400,
    height: int = 300,
    format: str = "JPEG",
    *,
    mode: str = "RGB",
    colour: tuple[int, ...] = (30, 120, 90),
    gps: bool = False,
    orientation: int | None = None,
) -> bytes:
    """A picture of one colour; with ``gps`` it carries EXIF camera and GPS tags."""
    image = Image.new(mode, (width, height), colour)
    options: dict[str, object] = {}
    if gps or orientation:
        exif = Image.Exif()
        exif[ExifTags.Base.Make] = "Kiwi Camera Co"
        exif[ExifTags.Base.Artist] = "Hemi Walker"
        if orientation:
            exif[ExifTags.Base.Orientation] = orientation
        if gps:
            gps_ifd = exif.get_ifd(ExifTags.IFD.GPSInfo)
            gps_ifd[ExifTags.GPS.GPSLatitudeRef] = "S"
            gps_ifd[ExifTags.GPS.GPSLatitude] = (41.0, 30.0, 50.0)
            gps_ifd[ExifTags.GPS.GPSLongitudeRef] = "E"
            gps_ifd[ExifTags.GPS.GPSLongitude] = (173.0, 57.0, 40.0)
        options["exif"] = exif
    buffer = io.BytesIO()
    image.save(buffer, format=format, **options)
    return buffer.getvalue()


def upload(
    name: str = "photo.jpg",
    data: bytes | None = None,
    content_type: str = "image/jpeg",
) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, picture_bytes() if data is None else data, content_type=content_type
    )


def png_claiming_size(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` by ``height`` pixels."""
    real = picture_bytes(1, 1, "PNG")
    ihdr_at = real.index(b"IHDR")
    header = bytearray(real[ihdr_at : ihdr_at + 17])
    header[4:12] = struct.pack(">II", width, height)
    crc = struct.pack(">I", zlib.crc32(bytes(header)) & 0xFFFFFFFF)
    return real[:ihdr_at] + bytes(header) + crc + real[ihdr_at + 21 :]


def gif_bomb() -> bytes:
    """A few bytes of GIF claiming a 65,535 by 65,535 canvas."""
    buffer = io.BytesIO()
    Image.new("P", (1, 1)).save(buffer, format="GIF")
    data = bytearray(buffer.getvalue())
    data[6:10] = struct.pack("<HH", 0xFFFF, 0xFFFF)  # logical screen size
    return bytes(data)


SVG_BYTES = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400">'
    b'<script>alert("hi")</script><rect width="400" height="400"/></svg>'
)
