"""Bowls, plates, mugs, vases, boards, soap, knives, spoons, boxes, stools, linen."""

from __future__ import annotations

import math

from PIL import Image, ImageChops, ImageDraw

from .canvas import (
    SIZE,
    WHITE,
    Scene,
    cylinder,
    ellipse_mask,
    field,
    lit,
    mix,
    polygon_mask,
    rounded_mask,
    sphere,
    supersampled,
)
from .produce import oyster
from .shapes import (
    bottle,
    box_mask,
    leaf,
)


def paint_bowl(s: Scene) -> None:
    c = s.c
    glaze = s.colour
    cx, rim_y, w, h = 800, 620, 760, 380
    c.shadow(cx + 40, rim_y + h, w * 0.45, 50, 0.55)
    body = supersampled(
        w,
        h + 60,
        lambda d, s_: d.chord((0, -h * s_, w * s_, (h + 60) * s_), 0, 180, fill=255),
    )
    c.body(cylinder(glaze, 0.6, 0.4), (cx - w / 2, rim_y), body, (96, 2))
    inside = ellipse_mask(w, 180)
    c.body(
        lambda u, v: lit(glaze, 0.5 + 0.6 * v),
        (cx - w / 2, rim_y - 90),
        inside,
        (32, 16),
    )
    c.fill(
        lit(glaze, 1.3),
        (cx - w / 2, rim_y - 90),
        ImageChops.subtract(
            inside, ellipse_mask(w - 24, 160).crop((-12, -10, w - 12, 170))
        ),
    )
    c.glint((cx - w * 0.38, rim_y + 40, cx - w * 0.28, rim_y + 150), 0.5, 6)
    if s.code == "BIS":
        for k in range(4):
            c.body(
                sphere((92, 58, 36), 0.3, 0.45),
                (cx - 260 + k * 120, rim_y - 150 + (k % 2) * 20),
                ellipse_mask(160, 110),
                (24, 24),
            )
            c.body(
                sphere((70, 40, 24), 0.5),
                (cx - 225 + k * 120, rim_y - 140 + (k % 2) * 20),
                ellipse_mask(90, 50),
                (16, 16),
            )


def paint_plates(s: Scene) -> None:
    c = s.c
    for k in range(4):
        y = 900 - k * 28
        c.shadow(820, 960, 460, 70, 0.25)
        c.body(
            sphere(s.colour, 0.5, 0.6), (380, y - 130), ellipse_mask(840, 260), (32, 16)
        )
        c.body(
            sphere(lit(s.colour, 0.95), 0.2, 0.7),
            (520, y - 88),
            ellipse_mask(560, 170),
            (32, 16),
        )


def paint_mug(s: Scene) -> None:
    c = s.c
    cx, base, w, h = 760, 1030, 420, 460
    c.shadow(cx + 60, base, w * 0.7, 40, 0.5)
    handle = supersampled(
        220,
        300,
        lambda d, s_: d.ellipse(
            (0, 0, 200 * s_, 300 * s_), outline=255, width=round(44 * s_)
        ),
    )
    c.body(
        cylinder(s.colour, 0.4, 0.5), (cx + w / 2 - 110, base - h + 60), handle, (32, 2)
    )
    c.body(
        cylinder(s.colour, 0.6, 0.45),
        (cx - w / 2, base - h),
        rounded_mask(w, h, 30),
        (96, 2),
    )
    c.fill(
        lit(s.colour, 0.4), (cx - w / 2 + 12, base - h - 30), ellipse_mask(w - 24, 70)
    )
    c.body(
        cylinder((186, 160, 120), 0.1, 0.7),
        (cx - w / 2, base - 70),
        box_mask(w, 70, (0, 0, w, 70)),
        (96, 2),
    )


def paint_vase(s: Scene) -> None:
    bottle(
        s.c,
        800,
        1030,
        560,
        glass=s.colour,
        label=s.colour,
        ink=s.colour,
        band=s.colour,
        words=[],
        capsule=None,
        w_ratio=0.48,
        shoulder=0.6,
    )
    for k in range(3):
        leaf(s.c, 700 + k * 70, 330 - k * 30, 150, 60, (70, 120, 60), -60 + k * 50)


def paint_board(s: Scene) -> None:
    c = s.c
    wood = s.colour
    x, y, w, h = 300, 620, 1000, 360
    c.shadow(x + w / 2 + 40, y + h, w * 0.52, 50, 0.55)
    board = rounded_mask(w, h, 60)
    layer = field(w, h, lambda u, v: lit(wood, 1.1 - 0.25 * v - 0.1 * u), (8, 8))
    d = ImageDraw.Draw(layer)
    for g in range(26):
        gy = c.rng.random() * h
        d.line(
            [(gx, gy + 8 * math.sin(gx / 90 + g)) for gx in range(0, w + 20, 20)],
            fill=lit(wood, 0.78),
            width=3,
        )
    c.put(layer, (x, y), board)
    c.fill(lit(wood, 0.35), (x + 60, y + h / 2 - 30), ellipse_mask(60, 60))
    c.fill(
        lit(wood, 0.55),
        (x, y + h - 40),
        ImageChops.multiply(
            board.crop((0, h - 40, w, h)), box_mask(w, 40, (0, 0, w, 40))
        ),
    )


def paint_bar(s: Scene) -> None:
    c = s.c
    if s.code == "SOAP":
        for k, (x, y) in enumerate(((430, 700), (780, 760))):
            c.shadow(x + 200, y + 220, 250, 40, 0.5)
            c.body(
                sphere(lit(s.colour, 1.05 - 0.1 * k), 0.3, 0.55),
                (x, y),
                rounded_mask(400, 230, 70),
                (32, 32),
            )
            c.text(
                (x + 200, y + 115),
                s.words[0] if s.words else "",
                34,
                lit(s.colour, 0.65),
                340,
            )
        leaf(c, 1150, 640, 220, 100, (70, 120, 50), 30)
        return
    if s.code == "KNF":
        c.shadow(820, 900, 480, 40, 0.45)
        blade = polygon_mask(
            380, 110, [(0, 20), (300, 0), (380, 55), (300, 110), (0, 90)]
        )
        c.body(cylinder((200, 204, 210), 0.8), (820, 700), blade, (4, 64))
        c.body(cylinder(s.colour, 0.3), (360, 690), rounded_mask(470, 130, 60), (4, 64))
        c.body(sphere((180, 184, 190), 0.8), (800, 670), ellipse_mask(50, 180), (8, 16))
        oyster(c, 860, 860, 240, 170, (138, 161, 168), 20)
        return
    # Spoons: wooden, fanned.
    for k in range(4):
        angle = -30 + k * 18
        spoon = Image.new("L", (170, 900), 0)
        d = ImageDraw.Draw(spoon)
        d.ellipse((0, 0, 170, 260), fill=255)
        d.rounded_rectangle((65, 230, 105, 900), 20, fill=255)
        layer = field(170, 900, cylinder(lit(s.colour, 0.9 + 0.06 * k), 0.3), (32, 2))
        c.shadow(800, 1030, 360, 40, 0.2)
        c.put(
            layer.rotate(angle, expand=True),
            (600 + k * 40, 220),
            spoon.rotate(angle, expand=True),
        )


def paint_box(s: Scene) -> None:
    c = s.c
    if s.code == "COMB":
        honeycomb(s)
        return
    if s.code == "STL":
        stool(s)
        return
    # A gift box: kraft, lid off, tissue and a ribbon in the maker's colour.
    x, y, w, h = 420, 620, 760, 380
    c.shadow(x + w / 2 + 40, y + h, w * 0.55, 50, 0.55)
    kraft = (196, 160, 116)
    c.body(cylinder(kraft, 0.1, 0.6), (x, y), box_mask(w, h, (0, 0, w, h)), (64, 2))
    top = polygon_mask(w + 160, 180, [(0, 180), (160, 0), (w + 160, 0), (w, 180)])
    c.body(lambda u, v: lit(kraft, 1.1 - 0.2 * v), (x, y - 180), top, (8, 8))
    tissue = polygon_mask(
        w + 100, 150, [(20, 170), (170, 10), (w + 100, 10), (w - 20, 170)]
    )
    c.body(
        lambda u, v: mix(
            (250, 250, 246), (220, 220, 214), math.sin(u * 20) * 0.5 + 0.5
        ),
        (x + 20, y - 160),
        tissue,
        (64, 8),
    )
    items = [s.colour, lit(s.colour, 1.2), lit(s.colour, 0.8)]
    for k, item in enumerate(items):
        c.body(
            sphere(item, 0.4),
            (x + 150 + k * 190, y - 170 + (k % 2) * 20),
            ellipse_mask(200, 150),
            (24, 24),
        )
    c.body(
        cylinder(s.maker[0], 0.3, 0.6),
        (x + w / 2 - 40, y),
        box_mask(80, h, (0, 0, 80, h)),
        (32, 2),
    )


def honeycomb(s: Scene) -> None:
    c = s.c
    x, y, w, h = 380, 260, 840, 700
    c.shadow(x + w / 2 + 40, y + h, w * 0.55, 40, 0.5)
    c.body(cylinder((190, 150, 96), 0.2), (x, y), rounded_mask(w, h, 8), (64, 2))
    comb = Image.new("RGB", (w - 80, h - 80), lit(s.colour, 0.8))
    d = ImageDraw.Draw(comb)
    r = 30
    for row in range(int((h - 80) / (r * 1.5)) + 2):
        for col in range(int((w - 80) / (r * 1.73)) + 2):
            hx = col * r * 1.73 + (r * 0.87 if row % 2 else 0)
            hy = row * r * 1.5
            hexagon = [
                (
                    hx + r * 0.95 * math.cos(math.pi / 6 + k * math.pi / 3),
                    hy + r * 0.95 * math.sin(math.pi / 6 + k * math.pi / 3),
                )
                for k in range(6)
            ]
            capped = c.rng.random() < 0.7
            d.polygon(
                hexagon,
                fill=mix(s.colour, (250, 230, 150), 0.5 if capped else 0.1),
                outline=lit(s.colour, 0.6),
            )
            if capped:
                d.ellipse(
                    (hx - r * 0.4, hy - r * 0.5, hx, hy - r * 0.1),
                    fill=mix(s.colour, WHITE, 0.6),
                )
    c.put(comb, (x + 40, y + 40), box_mask(w - 80, h - 80, (0, 0, w, h)))


def stool(s: Scene) -> None:
    c = s.c
    wood = s.colour
    c.shadow(820, 1030, 380, 50, 0.55)
    for lx in (500, 1040):
        leg = polygon_mask(90, 470, [(20, 0), (70, 0), (90, 470), (0, 470)])
        c.body(cylinder(wood, 0.2, 0.6), (lx, 560), leg, (32, 2))
    c.body(
        cylinder(lit(wood, 0.85), 0.2),
        (560, 800),
        box_mask(500, 40, (0, 0, 500, 40)),
        (64, 2),
    )
    seat = polygon_mask(800, 170, [(60, 0), (800, 0), (740, 110), (0, 110)])
    c.body(lambda u, v: lit(wood, 1.15 - 0.2 * v), (400, 440), seat, (8, 8))
    c.body(
        cylinder(lit(wood, 0.8), 0.2),
        (400, 550),
        box_mask(740, 40, (0, 0, 740, 40)),
        (64, 2),
    )


def paint_textile(s: Scene) -> None:
    c = s.c
    cloth = s.colour
    if s.code in {"APR", "TT"}:
        # Folded, stacked.
        for k in range(3):
            y = 880 - k * 110
            c.shadow(820, y + 110, 420, 30, 0.3)
            c.body(
                sphere(lit(cloth, 0.95 + 0.05 * k), 0.05, 0.65),
                (420, y - 20),
                rounded_mask(760, 130, 30),
                (32, 8),
            )
            d = ImageDraw.Draw(c.image)
            for t in range(0, 760, 8):
                d.point((420 + t, y + 60), fill=lit(cloth, 0.7))
        if s.code == "TT":
            for sx in range(480, 1120, 60):
                c.fill(lit(cloth, 0.6), (sx, 670), box_mask(20, 110, (0, 0, 20, 110)))
        return
    # A shirt on a hanger.
    hook = Image.new("L", SIZE, 0)
    ImageDraw.Draw(hook).arc((770, 120, 830, 200), 180, 90, fill=255, width=8)
    c.fill((120, 90, 60), (0, 0), hook)
    hanger = Image.new("L", SIZE, 0)
    ImageDraw.Draw(hanger).line(
        [(520, 300), (800, 200), (1080, 300)], fill=255, width=16
    )
    c.fill((150, 110, 70), (0, 0), hanger)
    outline = [
        (620, 0),
        (980, 0),
        (1220, 110),
        (1300, 420),
        (1170, 460),
        (1110, 270),
        (1100, 760),
        (500, 760),
        (490, 270),
        (430, 460),
        (300, 420),
        (380, 110),
    ]
    bx, by = 0, 280
    shirt_w, shirt_h = 1600, 800
    mask = polygon_mask(shirt_w, shirt_h, outline)
    layer = field(
        shirt_w,
        shirt_h,
        lambda u, v: lit(
            cloth, 1.05 - 0.3 * abs(u - 0.45) - 0.15 * v + 0.06 * math.sin(u * 40)
        ),
        (128, 16),
    )
    d = ImageDraw.Draw(layer)
    d.polygon(
        [(700, 0), (800, 110), (900, 0)], fill=lit(cloth, 0.7)
    )  # the collar's shadow
    d.line([(800, 110), (800, 760)], fill=lit(cloth, 0.8), width=4)
    for by_ in range(170, 760, 110):
        d.ellipse((788, by_, 812, by_ + 24), fill=lit(cloth, 1.3))
    if s.code == "TEE":
        d.ellipse((660, 300, 940, 540), fill=lit(cloth, 1.6))
    c.put(layer, (bx, by), mask)
