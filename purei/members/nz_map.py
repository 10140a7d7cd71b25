"""Where a business is, drawn by us: a pin on the outline of Aotearoa
(``members/aotearoa.svg``, made by ``scripts/aotearoa_outline.py`` from LINZ's
coastlines, CC BY 4.0) — no map tiles, no third party told who looked at the page.

The outline is drawn in NZTM2000 (EPSG:2193, the New Zealand Transverse Mercator
LINZ publishes its data in), 1 unit = 1 km; ``nztm`` projects a latitude and
longitude (NZGD2000, which is WGS 84 to within a metre or so) to it with the Krüger
series, exact to well under a millimetre within New Zealand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

# GRS80, and NZTM2000's own constants (LINZS25002).
_A = 6_378_137.0
_F = 1 / 298.257222101
_CENTRAL_MERIDIAN = 173.0
_SCALE = 0.9996
_FALSE_EASTING = 1_600_000.0
_FALSE_NORTHING = 10_000_000.0

# The outline's box in NZTM2000 metres (as scripts/aotearoa_outline.py drew it).
LEFT, TOP = 1_080_000, 6_200_000
RIGHT, BOTTOM = 2_100_000, 4_740_000
WIDTH, HEIGHT = (RIGHT - LEFT) // 1000, (TOP - BOTTOM) // 1000

_N = _F / (2 - _F)
_A_HAT = _A / (1 + _N) * (1 + _N**2 / 4 + _N**4 / 64)
_ALPHA = (
    _N / 2 - 2 * _N**2 / 3 + 5 * _N**3 / 16 + 41 * _N**4 / 180,
    13 * _N**2 / 48 - 3 * _N**3 / 5 + 557 * _N**4 / 1440,
    61 * _N**3 / 240 - 103 * _N**4 / 140,
    49561 * _N**4 / 161280,
)
_E = math.sqrt(_F * (2 - _F))


def nztm(latitude: float, longitude: float) -> tuple[float, float]:
    """(easting, northing) in NZTM2000 metres of a point given in degrees."""
    phi = math.radians(latitude)
    lam = math.radians(longitude - _CENTRAL_MERIDIAN)
    t = math.sinh(math.atanh(math.sin(phi)) - _E * math.atanh(_E * math.sin(phi)))
    xi_p = math.atan2(t, math.cos(lam))
    eta_p = math.atanh(math.sin(lam) / math.sqrt(1 + t * t))
    xi, eta = xi_p, eta_p
    for j, alpha in enumerate(_ALPHA, start=1):
        xi += alpha * math.sin(2 * j * xi_p) * math.cosh(2 * j * eta_p)
        eta += alpha * math.cos(2 * j * xi_p) * math.sinh(2 * j * eta_p)
    return (
        _FALSE_EASTING + _SCALE * _A_HAT * eta,
        _FALSE_NORTHING + _SCALE * _A_HAT * xi,
    )


@dataclass(frozen=True)
class Pin:
    """A point on the outline (``x``, ``y`` in its units, from the top left) and
    the OpenStreetMap page of the place."""

    x: int
    y: int
    osm_url: str


def pin_for(latitude: Decimal | None, longitude: Decimal | None) -> Pin | None:
    """The pin of a business at ``latitude``, ``longitude``; None without both,
    or outside the outline's box (the Chathams, or a point given wrongly)."""
    if latitude is None or longitude is None:
        return None
    lat, lon = float(latitude), float(longitude)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    easting, northing = nztm(lat, lon)
    if not (LEFT <= easting <= RIGHT and BOTTOM <= northing <= TOP):
        return None
    osm = (
        f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}"
        f"#map=13/{lat:.5f}/{lon:.5f}"
    )
    return Pin(
        x=round((easting - LEFT) / 1000), y=round((TOP - northing) / 1000), osm_url=osm
    )


def coordinates_text(latitude: Decimal | None, longitude: Decimal | None) -> str:
    """``41.5139° S, 173.9612° E``: a place as words, without a map service."""
    if latitude is None or longitude is None:
        return ""
    north_south = _("N") if latitude >= 0 else _("S")
    east_west = _("E") if longitude >= 0 else _("W")
    return _("%(lat)s° %(ns)s, %(lon)s° %(ew)s") % {
        "lat": f"{abs(latitude).normalize():f}",
        "ns": north_south,
        "lon": f"{abs(longitude).normalize():f}",
        "ew": east_west,
    }
