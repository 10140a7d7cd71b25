"""Products in and out by spreadsheet (CSV): Pūrei's own columns and Shopify's."""

from .exporter import products_export
from .formats import FORMATS, PUREI, SHOPIFY, Problem
from .importer import products_import
from .result import ImportResult

__all__ = [
    "FORMATS",
    "PUREI",
    "SHOPIFY",
    "ImportResult",
    "Problem",
    "products_export",
    "products_import",
]
