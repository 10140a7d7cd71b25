"""The pin on our outline of Aotearoa: NZTM2000 projection, checked against the
projection's own origin and scale, and the towns of the seed clusters falling on
land in the outline the page draws (not in the sea, not off the map)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from purei.members.nz_map import HEIGHT, WIDTH, coordinates_text, nztm, pin_for

OUTLINE = Path(__file__).parents[1] / "static" / "members" / "aotearoa.svg"


def _islands() -> list[list[tuple[int, int]]]:
    path = re.search(r' d="([^"]+)"', OUTLINE.read_text()).group(1)  # type: ignore[union-attr]
    islands = []
    for ring in path.split("Z"):
        numbers = [int(n) for n in ring.lstrip("M").split()]
        if numbers:
            islands.append(list(zip(numbers[::2], numbers[1::2], strict=True)))
    return islands


def _on_land(x: int, y: int) -> bool:
    """Ray casting: inside an odd number of edges' crossings of any island."""
    for ring in _islands():
        inside = False
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
        if inside:
            return True
    return False


def test_the_projection_keeps_its_origin_and_scale():
    # The central meridian at the equator is the false origin.
    assert nztm(0, 173) == (1_600_000.0, 10_000_000.0)
    # Along the central meridian one degree of latitude near 41° S is about
    # 111.1 km, times the scale factor 0.9996.
    (_, north_a), (_, north_b) = nztm(-41, 173), nztm(-42, 173)
    assert 111_000 < north_a - north_b < 111_100


@pytest.mark.parametrize(
    ("town", "lat", "lon"),
    [
        ("Kaitāia", "-35.1173", "173.2676"),
        ("Auckland", "-36.8485", "174.7633"),
        ("Rotorua", "-38.1368", "176.2497"),
        ("Gisborne", "-38.6623", "178.0176"),
        ("Martinborough", "-41.2184", "175.4587"),
        ("Renwick", "-41.5139", "173.8312"),
        ("Christchurch", "-43.5321", "172.6362"),
        ("Queenstown", "-45.0312", "168.6626"),
        ("Invercargill", "-46.4132", "168.3538"),
    ],
)
def test_towns_fall_on_land_in_the_outline(town, lat, lon):
    pin = pin_for(Decimal(lat), Decimal(lon))
    assert pin is not None
    assert 0 <= pin.x <= WIDTH
    assert 0 <= pin.y <= HEIGHT
    assert _on_land(pin.x, pin.y), town


def test_the_sea_is_not_land_in_the_outline():
    # Cook Strait between the islands, and the Tasman Sea off Hokitika.
    for lat, lon in (("-41.1", "174.4"), ("-42.7", "170.0")):
        pin = pin_for(Decimal(lat), Decimal(lon))
        assert pin is not None
        assert not _on_land(pin.x, pin.y)


def test_places_off_the_map_get_no_pin_but_words():
    # The Chatham Islands are east of the outline's box.
    assert pin_for(Decimal("-43.95"), Decimal("-176.56")) is None
    assert pin_for(None, Decimal("174")) is None
    assert coordinates_text(Decimal("-43.950000"), Decimal("-176.560000")) == (
        "43.95° S, 176.56° W"
    )


def test_the_link_out_is_openstreetmap_at_the_place():
    pin = pin_for(Decimal("-41.2184"), Decimal("175.4587"))
    assert pin is not None
    assert pin.osm_url == (
        "https://www.openstreetmap.org/?mlat=-41.21840&mlon=175.45870"
        "#map=13/-41.21840/175.45870"
    )
