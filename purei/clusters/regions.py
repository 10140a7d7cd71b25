"""New Zealand's regions (ISO 3166-2:NZ): 16 regions plus the Chatham Islands.

The codes are stable keys; the te reo names are the ones ISO lists, with other
attested names kept for search; the names are loaded into ``Region`` rows by a data
migration and stay editable there (te reo names in particular, see domain-nz.md §4.1).
"""

from typing import NamedTuple


class RegionData(NamedTuple):
    code: str
    name_en: str
    name_mi: str
    island: str  # "N", "S" or "" (Chatham Islands)
    time_zone: str
    other_names: str = ""  # other attested names, comma-separated (used by search)


REGIONS: tuple[RegionData, ...] = (
    RegionData("NZ-NTL", "Northland", "Te Tai Tokerau", "N", "Pacific/Auckland"),
    RegionData("NZ-AUK", "Auckland", "Tāmaki-Makaurau", "N", "Pacific/Auckland"),
    RegionData("NZ-WKO", "Waikato", "Waikato", "N", "Pacific/Auckland"),
    RegionData(
        "NZ-BOP",
        "Bay of Plenty",
        "Toi Moana",
        "N",
        "Pacific/Auckland",
        "Te Moana-a-Toi",
    ),
    RegionData("NZ-GIS", "Gisborne", "Te Tairāwhiti", "N", "Pacific/Auckland"),
    RegionData("NZ-HKB", "Hawke's Bay", "Te Matau-a-Māui", "N", "Pacific/Auckland"),
    RegionData("NZ-TKI", "Taranaki", "Taranaki", "N", "Pacific/Auckland"),
    RegionData(
        "NZ-MWT", "Manawatū-Whanganui", "Manawatū Whanganui", "N", "Pacific/Auckland"
    ),
    RegionData(
        "NZ-WGN",
        "Wellington",
        "Te Pane Matua Taiao",
        "N",
        "Pacific/Auckland",
        "Te Whanganui-a-Tara",
    ),
    RegionData("NZ-TAS", "Tasman", "Te Tai o Aorere", "S", "Pacific/Auckland"),
    RegionData("NZ-NSN", "Nelson", "Whakatū", "S", "Pacific/Auckland"),
    RegionData("NZ-MBH", "Marlborough", "", "S", "Pacific/Auckland"),
    RegionData("NZ-WTC", "West Coast", "Te Tai o Poutini", "S", "Pacific/Auckland"),
    RegionData("NZ-CAN", "Canterbury", "Waitaha", "S", "Pacific/Auckland"),
    RegionData("NZ-OTA", "Otago", "Ō Tākou", "S", "Pacific/Auckland"),
    RegionData(
        "NZ-STL",
        "Southland",
        "Te Taiao Tonga",
        "S",
        "Pacific/Auckland",
        "Murihiku",
    ),
    RegionData(
        "NZ-CIT",
        "Chatham Islands",
        "Wharekauri",
        "",
        "Pacific/Chatham",
        "Rēkohu",
    ),
)


# The codes as a pattern for API inputs (the OpenAPI document states it, so a client
# knows the values; schema and server refuse the same things).
# Either case, as the server reads them (nz-mbh is NZ-MBH); JSON Schema's regular
# expressions have no flag for it, so each letter is a class.
def _any_case(code: str) -> str:
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c for c in code)


_CODES = "|".join(_any_case(r.code) for r in REGIONS)
REGION_CODE_PATTERN = f"^({_CODES})$"
REGION_CODE_OR_BLANK_PATTERN = f"^({_CODES})?$"
