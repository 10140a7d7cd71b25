"""Kete, carvings, tukutuku, prints and cards, pendants, tīvaevae and ei."""

from __future__ import annotations

import math
import random

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from .canvas import (
    SIZE,
    Canvas,
    Colour,
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
from .shapes import (
    blob,
    box_mask,
    leaf,
)


def paint_kete(s: Scene) -> None:
    c = s.c
    cx, base, w, h = 800, 1060, 760, 560
    top = base - h
    c.shadow(cx + 40, base, w * 0.58, 50, 0.55)
    flax = (200, 164, 96)
    dyed = lit(s.colour, 0.45)
    # Handles: two loops of plaited flax.
    for hx in (cx - w * 0.22, cx + w * 0.22):
        loop = supersampled(
            260,
            380,
            lambda d, s_: d.arc(
                (20 * s_, 20 * s_, 240 * s_, 700 * s_),
                180,
                360,
                fill=255,
                width=round(34 * s_),
            ),
        )
        c.body(cylinder(flax, 0.2, 0.55), (hx - 130, top - 230), loop, (64, 2))
    outline = [
        (0, 0),
        (w, 0),
        (w * 0.9, h * 0.8),
        (w * 0.75, h),
        (w * 0.25, h),
        (w * 0.1, h * 0.8),
    ]
    mask = polygon_mask(w, h, outline)
    weave = Image.new("RGB", (w, h), flax)
    d = ImageDraw.Draw(weave)
    strip = 34
    for i in range(-h // strip - 2, w // strip + h // strip + 2):
        for j in range(0, h // strip + 2):
            x0 = i * strip + j * strip
            y0 = j * strip
            over = (i + j) % 2 == 0
            pattern_row = 5 <= j <= 8
            base_c = dyed if pattern_row and (i % 4 in (0, 1)) else flax
            tone = lit(base_c, 1.08 if over else 0.82)
            d.polygon(
                [
                    (x0, y0),
                    (x0 + strip, y0),
                    (x0 + strip - 4, y0 + strip),
                    (x0 - 4, y0 + strip),
                ],
                fill=tone,
            )
            d.line(
                [(x0 + 2, y0 + 2), (x0 + strip - 6, y0 + strip - 2)],
                fill=lit(tone, 1.15),
                width=2,
            )
    shade = field(w, h, cylinder((255, 255, 255), 0.15, 0.5), (64, 2))
    c.put(ImageChops.multiply(weave, shade), (cx - w / 2, top), mask)
    rim = rounded_mask(w, 40, 18)
    c.body(cylinder(lit(flax, 0.9), 0.2, 0.5), (cx - w / 2, top - 14), rim, (64, 2))


def paint_carving(s: Scene) -> None:
    c = s.c
    wood = s.colour
    x, y, w, h = 560, 140, 480, 880
    c.shadow(x + w / 2 + 40, y + h, w * 0.62, 50, 0.55)
    layer = field(
        w, h, lambda u, v: lit(wood, 0.8 + 0.35 * (1 - u) * (1 - v * 0.5)), (8, 16)
    )
    grooves = Image.new("L", (w, h), 0)
    lights = Image.new("L", (w, h), 0)
    dg, dl = ImageDraw.Draw(grooves), ImageDraw.Draw(lights)
    if s.code == "TUKU":
        tukutuku(layer, w, h, s)
    else:
        for k, cy in enumerate(range(150, h - 80, 220)):  # double spirals (takarangi)
            cx_ = w / 2 + (60 if k % 2 else -60)
            for r in range(20, 110, 18):
                dg.arc(
                    (cx_ - r, cy - r, cx_ + r, cy + r),
                    200 + k * 40,
                    520 + k * 40,
                    fill=230,
                    width=9,
                )
                dl.arc(
                    (cx_ - r + 3, cy - r + 3, cx_ + r + 3, cy + r + 3),
                    200 + k * 40,
                    520 + k * 40,
                    fill=150,
                    width=3,
                )
        for yy in range(20, h, 14):  # haehae: parallel grooves at the edges
            dg.line((10, yy, 60, yy + 10), fill=200, width=5)
            dg.line((w - 60, yy + 10, w - 10, yy), fill=200, width=5)
        layer.paste(lit(wood, 0.35), (0, 0), grooves)
        layer.paste(lit(wood, 1.35), (0, 0), lights)
    c.put(layer, (x, y), rounded_mask(w, h, 10))


def tukutuku(layer: Image.Image, w: int, h: int, s: Scene) -> None:
    d = ImageDraw.Draw(layer)
    step = 40
    for xx in range(0, w, step):
        d.line((xx, 0, xx, h), fill=lit(s.colour, 0.6), width=10)  # upright rods
    for yy in range(0, h, step):
        d.line((0, yy, w, yy), fill=lit((80, 60, 40), 1.0), width=6)  # laths
    # Poutama: stepped stitches in cream and black.
    for k in range(12):
        for j in range(w // step):
            if (j + k) % 6 < 3:
                px, py = (
                    j * step + step / 2,
                    (h - 80) - k * step * 1.7 + (j % 3) * step * 0.5,
                )
                colour = (240, 232, 210) if (j // 3) % 2 else (30, 26, 24)
                d.line((px - 12, py - 12, px + 12, py + 12), fill=colour, width=7)
                d.line((px - 12, py + 12, px + 12, py - 12), fill=colour, width=7)


def paint_print(s: Scene) -> None:
    c = s.c
    x, y, w, h = 430, 150, 740, 560
    if s.code == "CARD":
        paint_cards(s)
        return
    c.shadow(x + w / 2 + 30, y + h + 10, w * 0.5, 30, 0.3)
    frame = rounded_mask(w, h, 4)
    c.body(cylinder((40, 32, 28), 0.3, 0.6), (x, y), frame, (64, 2))
    mat_w, mat_h = w - 50, h - 50
    c.fill(
        (248, 245, 238), (x + 25, y + 25), box_mask(mat_w, mat_h, (0, 0, mat_w, mat_h))
    )
    art_w, art_h = mat_w - 120, mat_h - 120
    dusk = landscape(art_w, art_h, s.colour, c.rng)
    c.put(dusk, (x + 85, y + 85), box_mask(art_w, art_h, (0, 0, art_w, art_h)))
    c.glint((x + 40, y + 40, x + 300, y + 70), 0.18, 14)


def landscape(w: int, h: int, colour: Colour, rng: random.Random) -> Image.Image:
    sky_top, sky_low = lit(colour, 0.6), (244, 160, 90)

    def sky(u: float, v: float) -> Colour:
        if v < 0.62:
            return mix(sky_top, sky_low, (v / 0.62) ** 1.6)
        return mix(lit(colour, 0.8), lit(colour, 0.4), (v - 0.62) / 0.38)

    img = field(w, h, sky, (4, 64))
    d = ImageDraw.Draw(img)
    # The mountain at the harbour's mouth, and its reflection.
    d.polygon(
        [
            (w * 0.55, h * 0.62),
            (w * 0.68, h * 0.3),
            (w * 0.74, h * 0.28),
            (w * 0.9, h * 0.62),
        ],
        fill=lit(colour, 0.3),
    )
    d.polygon(
        [(w * 0.55, h * 0.62), (w * 0.7, h * 0.85), (w * 0.9, h * 0.62)],
        fill=lit(colour, 0.35),
    )
    d.ellipse((w * 0.2, h * 0.42, w * 0.3, h * 0.55), fill=(252, 214, 130))
    for k in range(10):
        yy = h * (0.65 + k * 0.03)
        d.line(
            (w * 0.18 + rng.random() * 30, yy, w * 0.33 - rng.random() * 30, yy),
            fill=(252, 200, 120),
            width=3,
        )
    for _ in range(24):
        sx, sy = rng.random() * w, rng.random() * h * 0.25
        d.ellipse((sx - 2, sy - 2, sx + 2, sy + 2), fill=(255, 246, 220))
    return img


def paint_cards(s: Scene) -> None:
    c = s.c
    hues = [
        s.colour,
        (43, 95, 138),
        (200, 150, 60),
        (60, 110, 80),
        (150, 60, 70),
        (90, 70, 130),
    ]
    for k, hue in enumerate(hues):
        w, h = 360, 500
        card = Image.new("RGB", (w, h), (250, 247, 240))
        art = landscape(w - 60, h - 140, hue, c.rng)
        card.paste(art, (30, 30))
        mask = Image.new("L", (w, h), 255)
        angle = -25 + k * 10
        c.shadow(420 + k * 140 + w / 2, 1000, 200, 30, 0.25)
        c.put(
            card.rotate(angle, Image.Resampling.BICUBIC, expand=True),
            (300 + k * 140, 330 + abs(k - 2.5) * 30),
            mask.rotate(angle, Image.Resampling.BICUBIC, expand=True),
        )


def paint_pendant(s: Scene) -> None:
    c = s.c
    stone = s.colour
    # A cord, then the stone hanging from it.
    cord = Image.new("L", SIZE, 0)
    ImageDraw.Draw(cord).arc((420, -300, 1180, 560), 20, 160, fill=255, width=9)
    c.fill((30, 26, 24), (0, 0), cord)
    cx, top = 800, 480
    c.shadow(cx + 40, 1040, 170, 26, 0.35)
    if s.code == "TKI":
        w, h = 230, 440
        outline = [(0.2, 0), (0.8, 0), (0.95, 0.7), (1, 1), (0, 1), (0.05, 0.7)]
    elif s.code == "RNG":
        ring(c, cx - 170, top + 60, 340)
        return
    else:
        w, h = 300, 380
        outline = blob(50, lambda a: 0.95 - 0.15 * math.sin(a), c.rng, 0.02)
    mask = polygon_mask(w, h, [(u * w, v * h) for u, v in outline])

    def stone_fn(u: float, v: float) -> Colour:
        base_c = sphere(stone, 0.7, 0.45)(u, v)
        if s.code == "PAU":  # pāua: blue, green and violet swirling
            swirl = math.sin(u * 9 + v * 5) + math.sin(v * 11 - u * 3)
            shimmer = [(30, 120, 160), (40, 160, 110), (110, 80, 170)][
                int((swirl + 2) * 1.5) % 3
            ]
            return mix(base_c, shimmer, 0.55)
        glow = math.exp(-(((u - 0.45) / 0.3) ** 2 + ((v - 0.55) / 0.35) ** 2))
        return mix(base_c, mix(stone, (210, 240, 200), 0.4), glow * 0.4)

    c.body(stone_fn, (cx - w / 2, top), mask, (48, 48))
    if s.code == "PAU":
        bezel = ImageChops.subtract(mask, mask.filter(ImageFilter.MinFilter(15)))
        c.body(sphere((200, 206, 212), 0.8, 0.6), (cx - w / 2, top), bezel, (24, 24))
    c.body(sphere((30, 26, 24), 0.3), (cx - 22, top - 30), ellipse_mask(44, 60), (8, 8))


def ring(c: Canvas, x: float, y: float, d: float) -> None:
    outer = ellipse_mask(round(d), round(d * 0.8))
    inner = ellipse_mask(round(d * 0.78), round(d * 0.58))
    band = outer.copy()
    band.paste(0, (round(d * 0.11), round(d * 0.11)), inner)
    layer = field(round(d), round(d * 0.8), sphere((205, 210, 216), 0.9, 0.5), (32, 32))
    dr = ImageDraw.Draw(layer)
    for _ in range(40):  # hammer marks
        hx, hy = c.rng.random() * d, c.rng.random() * d * 0.8
        dr.ellipse((hx - 8, hy - 5, hx + 8, hy + 5), fill=(240, 242, 246))
    c.put(layer, (x, y), band)


def paint_tivaevae(s: Scene) -> None:
    c = s.c
    if s.code == "EI":
        paint_crown(s)
        return
    x, y, w, h = 360, 180, 880, 800
    c.shadow(x + w / 2 + 40, y + h, w * 0.55, 40, 0.5)
    ground = (250, 244, 232)
    quilt = field(
        w,
        h,
        lambda u, v: lit(ground, 1.0 - 0.08 * v + 0.04 * math.sin(u * 30)),
        (64, 16),
    )
    d = ImageDraw.Draw(quilt)
    for row in range(2):
        for col in range(2):
            fx, fy = w * (0.27 + 0.46 * col), h * (0.27 + 0.46 * row)
            for k in range(8):  # appliquéd petals
                a = k * math.pi / 4
                px, py = fx + math.cos(a) * 90, fy + math.sin(a) * 90
                d.ellipse((px - 60, py - 40, px + 60, py + 40), fill=s.colour)
            d.ellipse((fx - 45, fy - 45, fx + 45, fy + 45), fill=(250, 200, 40))
            for k in range(40):  # stitches (tataura)
                a = k * math.pi / 20
                sx, sy = fx + math.cos(a) * 170, fy + math.sin(a) * 170
                d.line((sx, sy, sx + 6, sy + 6), fill=(40, 110, 70), width=3)
    c.put(quilt, (x, y), rounded_mask(w, h, 10))


def paint_crown(s: Scene) -> None:
    c = s.c
    cx, cy, r = 800, 760, 360
    c.shadow(cx + 30, cy + 120, r * 1.1, 60, 0.35)
    for k in range(28):
        a = k * 2 * math.pi / 28
        fx, fy = cx + math.cos(a) * r, cy + math.sin(a) * r * 0.38
        colour = s.colour if k % 3 else (250, 240, 220)
        leaf(c, fx - 70, fy - 40, 140, 60, (60, 120, 50), math.degrees(a) + 90)
        for p in range(5):
            pa = p * 2 * math.pi / 5
            c.body(
                sphere(colour, 0.3, 0.6),
                (fx + math.cos(pa) * 26 - 24, fy + math.sin(pa) * 22 - 20),
                ellipse_mask(48, 40),
                (8, 8),
            )
        c.body(
            sphere((250, 210, 50), 0.3),
            (fx - 12, fy - 12),
            ellipse_mask(24, 24),
            (8, 8),
        )
