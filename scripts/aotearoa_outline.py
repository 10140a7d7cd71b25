"""Make purei/members/static/members/aotearoa.svg, the outline of Aotearoa that
members' pages put their pin on (purei/members/nz_map.py).

Not part of Pūrei's install: run once, in a throwaway virtual environment, when
the outline should change::

    python3 -m venv /tmp/outline && /tmp/outline/bin/pip install nzgeom==1.0.1 shapely
    /tmp/outline/bin/python scripts/aotearoa_outline.py > \
        purei/members/static/members/aotearoa.svg

The coastlines are Toitū Te Whenua LINZ's "NZ Coastlines and Islands Polygons
(Topo 1:50k)" (CC BY 4.0) as the nzgeom package ships them, in NZTM2000 metres:
the islands over 60 km² within the mainland's box, simplified to 1.5 km
(Douglas-Peucker), 1 unit = 1 km.
"""

from __future__ import annotations

import sqlite3
from importlib.resources import files

from shapely import wkb  # type: ignore[import-not-found]

LEFT, TOP = 1_080_000, 6_200_000  # NZTM2000 metres (purei/members/nz_map.py)
RIGHT, BOTTOM = 2_100_000, 4_740_000
TOLERANCE_M = 1500
MIN_AREA_M2 = 60e6
GPKG = "data/coastlines/nz-coastlines-and-islands-polygons-topo-150k.gpkg"
TABLE = "nz_coastlines_and_islands_polygons_topo_150k"


def _polygons():  # type: ignore[no-untyped-def]
    path = files("nzgeom").joinpath(GPKG)
    with sqlite3.connect(str(path)) as db:
        for (blob,) in db.execute(f"SELECT geom FROM {TABLE}"):  # noqa: S608
            # A GeoPackage geometry: an 8-byte header, an envelope whose size the
            # flags give, then WKB.
            envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(blob[3] >> 1) & 7]
            geometry = wkb.loads(bytes(blob[8 + envelope :]))
            yield from getattr(geometry, "geoms", [geometry])


def main() -> None:
    paths = []
    for polygon in sorted(_polygons(), key=lambda p: -p.area):
        x0, y0, x1, y1 = polygon.bounds
        if polygon.area < MIN_AREA_M2:
            break
        if x0 < LEFT or x1 > RIGHT or y0 < BOTTOM or y1 > TOP:
            continue  # the Chathams and the subantarctic islands
        ring = polygon.simplify(TOLERANCE_M, preserve_topology=True).exterior
        points = [
            (round((x - LEFT) / 1000), round((TOP - y) / 1000)) for x, y in ring.coords
        ]
        kept = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
        paths.append("M" + " ".join(f"{x} {y}" for x, y in kept[:-1]) + "Z")
    width, height = (RIGHT - LEFT) // 1000, (TOP - BOTTOM) // 1000
    print(  # noqa: T201
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}">\n'
        "<!-- Aotearoa New Zealand: the coastlines of Te Ika-a-Māui, Te Waipounamu, "
        "Rakiura and\nthe larger islands near them, simplified to 1.5 km and drawn "
        "in NZTM2000 (EPSG:2193),\n1 unit = 1 km, from x 1,080,000 m and y "
        "6,200,000 m. Derived from Toitū Te Whenua Land\nInformation New Zealand's "
        '"NZ Coastlines and Islands Polygons (Topo 1:50k)",\n'
        "https://data.linz.govt.nz/layer/51153, licensed CC BY 4.0. Made by\n"
        "scripts/aotearoa_outline.py; purei/members/nz_map.py places pins on it. -->\n"
        '<path fill="#d9e7e1" stroke="#0b5d4b" stroke-width="2" '
        f'stroke-linejoin="round" d="{"".join(paths)}"/>\n</svg>'
    )


if __name__ == "__main__":
    main()
