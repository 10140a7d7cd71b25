"""What the being-found tests share: the schemas they validate against, reading a
(streamed) response, and a product with a photo."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.http import HttpResponseBase
from lxml import etree  # type: ignore[import-untyped]  # no stubs installed

from purei.catalogue.models import Product, ProductImage
from purei.clusters.models import Cluster
from purei.core.tests.pictures import picture_bytes
from purei.search.tests.factories import public_product

XSD = Path(__file__).parent / "xsd"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
GOOGLE_NS = "http://base.google.com/ns/1.0"
NS = {"s": SITEMAP_NS, "xhtml": XHTML_NS, "g": GOOGLE_NS}


@cache
def schema(name: str) -> etree.XMLSchema:
    """One of the schemas the tests ship (``xsd/``)."""
    return etree.XMLSchema(etree.parse(str(XSD / name)))


def body(response: HttpResponseBase) -> bytes:
    """The whole body, streamed or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]  # a streaming response
    return bytes(response.content)  # type: ignore[attr-defined]  # not streaming


def parse(data: bytes) -> Any:
    return etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False))


def assert_valid(data: bytes, schema_name: str) -> Any:
    """``data`` parsed, once it validates against ``schema_name``."""
    document = parse(data)
    checker = schema(schema_name)
    assert checker.validate(document), str(checker.error_log)
    return document


def add_photo(product: Product, alt: str = "A jar of honey") -> ProductImage:
    return ProductImage.objects.create(
        product=product,
        image=ContentFile(picture_bytes(40, 30), name="photo.jpg"),
        width=40,
        height=30,
        alt_text=alt,
    )


def photographed_product(cluster: Cluster, **fields: Any) -> Product:
    """A product public in ``cluster``, with one variant and one photo."""
    product = public_product(cluster, **fields)
    add_photo(product)
    return product
