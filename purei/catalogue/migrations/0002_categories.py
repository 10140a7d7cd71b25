"""The categories of products, with the facts each kind carries (data, not code)."""

from typing import Any

from django.db import migrations

REGION = {"key": "region_of_origin", "label": "Region of origin", "type": "text"}
DIMENSIONS = {"key": "dimensions", "label": "Dimensions", "type": "text"}

CATEGORIES: list[dict[str, Any]] = [
    {
        "slug": "wine",
        "name_en": "Wine",
        "name_mi": "Wāina",
        "restricted_r18": True,
        "attributes": [
            {"key": "vintage", "label": "Vintage", "type": "int", "facet": True},
            {
                "key": "varietal",
                "label": "Varietal",
                "type": "choice",
                "facet": True,
                "choices": [
                    "Sauvignon Blanc",
                    "Pinot Noir",
                    "Chardonnay",
                    "Pinot Gris",
                    "Riesling",
                    "Syrah",
                    "Merlot",
                    "Cabernet Sauvignon",
                    "Gewürztraminer",
                    "Rosé",
                    "Sparkling",
                    "Blend",
                    "Other",
                ],
            },
            {**REGION, "facet": True},
        ],
    },
    {
        "slug": "beer-cider",
        "name_en": "Beer & cider",
        "name_mi": "Pia me te hāira",
        "restricted_r18": True,
        "attributes": [
            {"key": "style", "label": "Style", "type": "text", "facet": True},
            {"key": "abv", "label": "Alcohol (% ABV)", "type": "decimal"},
        ],
    },
    {
        "slug": "spirits",
        "name_en": "Spirits",
        "name_mi": "Waipiro kaha",
        "restricted_r18": True,
        "attributes": [
            {"key": "abv", "label": "Alcohol (% ABV)", "type": "decimal"},
        ],
    },
    {
        "slug": "honey",
        "name_en": "Honey",
        "name_mi": "Mīere",
        "attributes": [
            {
                "key": "umf",
                "label": "UMF grade",
                "type": "choice",
                "facet": True,
                "choices": ["UMF 5+", "UMF 10+", "UMF 15+", "UMF 20+", "UMF 24+"],
            },
            {"key": "mgo", "label": "MGO (mg/kg)", "type": "int"},
        ],
    },
    {
        "slug": "oysters-seafood",
        "name_en": "Oysters & seafood",
        "name_mi": "Tio me te kaimoana",
        "attributes": [REGION],
    },
    {
        "slug": "fresh-produce",
        "name_en": "Fresh produce (kūmara, avocados…)",
        "name_mi": "Hua whenua",
        "attributes": [
            {"key": "variety", "label": "Variety", "type": "text", "facet": True},
            REGION,
        ],
    },
    {
        "slug": "seeds",
        "name_en": "Seeds",
        "name_mi": "Kākano",
        "attributes": [{"key": "variety", "label": "Variety", "type": "text"}],
    },
    {
        "slug": "art-taonga",
        "name_en": "Art & taonga",
        "name_mi": "Toi me ngā taonga",
        "attributes": [
            {"key": "medium", "label": "Medium", "type": "text", "facet": True},
            DIMENSIONS,
            {"key": "edition", "label": "Edition", "type": "text"},
            {"key": "artist", "label": "Artist", "type": "text"},
        ],
    },
    {
        "slug": "clothing-apparel",
        "name_en": "Clothing & apparel",
        "name_mi": "Kākahu",
        "attributes": [{"key": "material", "label": "Material", "type": "text"}],
    },
    {
        "slug": "food-preserves",
        "name_en": "Food & preserves",
        "name_mi": "Kai me ngā kai tiaki",
        "attributes": [],
    },
    {
        "slug": "natural-health",
        "name_en": "Natural health (rongoā)",
        "name_mi": "Rongoā",
        # Described as what it is; no therapeutic claims (Medicines Act 1981).
        "attributes": [{"key": "ingredients", "label": "Ingredients", "type": "text"}],
    },
    {
        "slug": "steel-fabrication",
        "name_en": "Steel & fabrication",
        "name_mi": "Maitai",
        "attributes": [
            {"key": "grade", "label": "Grade", "type": "text", "facet": True},
            DIMENSIONS,
        ],
    },
    {
        "slug": "homeware-woodwork",
        "name_en": "Homeware & woodwork",
        "name_mi": "Taonga whare me te mahi rākau",
        "attributes": [
            {"key": "timber", "label": "Timber", "type": "text", "facet": True},
            DIMENSIONS,
        ],
    },
    {"slug": "other", "name_en": "Other", "name_mi": "Ētahi atu", "attributes": []},
]


def load(apps: Any, schema_editor: Any) -> None:
    Category = apps.get_model("catalogue", "Category")
    for position, data in enumerate(CATEGORIES):
        Category.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "name_en": data["name_en"],
                "name_mi": data["name_mi"],
                "restricted_r18": data.get("restricted_r18", False),
                "attributes": data["attributes"],
                "position": position,
            },
        )


def unload(apps: Any, schema_editor: Any) -> None:
    Category = apps.get_model("catalogue", "Category")
    Category.objects.filter(
        slug__in=[c["slug"] for c in CATEGORIES], products__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
