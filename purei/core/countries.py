"""The countries Pūrei ships to and trades with, by ISO 3166-1 alpha-2 code: New
Zealand first, then Australia, then the places parcels and consignments most often
go."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

COUNTRIES = (
    ("NZ", gettext_lazy("New Zealand")),
    ("AU", gettext_lazy("Australia")),
    ("CA", gettext_lazy("Canada")),
    ("CN", gettext_lazy("China")),
    ("CK", gettext_lazy("Cook Islands")),
    ("FJ", gettext_lazy("Fiji")),
    ("FR", gettext_lazy("France")),
    ("DE", gettext_lazy("Germany")),
    ("HK", gettext_lazy("Hong Kong")),
    ("JP", gettext_lazy("Japan")),
    ("NU", gettext_lazy("Niue")),
    ("WS", gettext_lazy("Samoa")),
    ("SG", gettext_lazy("Singapore")),
    ("KR", gettext_lazy("South Korea")),
    ("TO", gettext_lazy("Tonga")),
    ("GB", gettext_lazy("United Kingdom")),
    ("US", gettext_lazy("United States")),
)
COUNTRY_CODES = frozenset(code for code, _name in COUNTRIES)


def country_name(code: str) -> str:
    return str(dict(COUNTRIES).get(code, code))
