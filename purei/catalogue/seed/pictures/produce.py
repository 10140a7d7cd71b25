"""Avocados, kūmara, crates, oysters, seed packets and plants."""

from __future__ import annotations

import math

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from .canvas import (
    WHITE,
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
    avocado_outline,
    blob,
    box_mask,
    kumara_outline,
    leaf,
    produce,
)


def paint_avocados(s: Scene) -> None:
    c = s.c
    count = 4 if s.code != "HALF" else 3
    skin = s.colour
    spots = [(340, 620), (620, 560), (880, 600), (1140, 640)][:count]
    tray(c, 250, 700, 1140, 380, (188, 156, 112))
    for i, (x, y) in enumerate(spots):
        produce(
            c,
            x,
            y,
            250,
            330,
            skin=skin,
            outline=avocado_outline(c.rng),
            gloss=0.35,
            speckle=lit(skin, 1.35),
            speckles=260,
            angle=(-12 + i * 9),
        )
    half_avocado(c, 640, 780, 280, 350, skin)


def tray(c: Canvas, x: float, y: float, w: float, h: float, colour: Colour) -> None:
    c.shadow(x + w / 2 + 30, y + h, w * 0.55, 50, 0.5)
    c.body(
        sphere(colour, 0.05, 0.7),
        (x, y),
        rounded_mask(round(w), round(h), 24),
        (32, 16),
    )
    c.body(
        cylinder(lit(colour, 0.85), 0.05, 0.7),
        (x, y + h * 0.45),
        box_mask(round(w), round(h * 0.55), (0, 0, w, h)),
        (64, 2),
    )


def half_avocado(
    c: Canvas, x: float, y: float, w: float, h: float, skin: Colour
) -> None:
    outline = avocado_outline(c.rng)
    mask = polygon_mask(round(w), round(h), [(u * w, v * h) for u, v in outline])
    c.shadow(x + w * 0.6, y + h * 0.95, w * 0.55, 30, 0.45)
    c.fill(lit(skin, 0.7), (x, y), mask)
    inner = polygon_mask(
        round(w * 0.9), round(h * 0.9), [(u * w * 0.9, v * h * 0.9) for u, v in outline]
    )

    def flesh(u: float, v: float) -> Colour:
        r = math.hypot(u - 0.5, (v - 0.55) * 0.9) * 2
        return mix((236, 232, 150), (120, 170, 50), r**2.2)

    c.body(flesh, (x + w * 0.05, y + h * 0.05), inner, (40, 40))
    stone = round(w * 0.42)
    c.body(
        sphere((120, 72, 38), 0.5, 0.35),
        (x + w / 2 - stone / 2, y + h * 0.52),
        ellipse_mask(stone, round(stone * 1.05)),
        (32, 32),
    )


def paint_kumara(s: Scene) -> None:
    c = s.c
    skin = s.colour
    flesh = {
        "RED": (244, 236, 214),
        "GOLD": (246, 214, 140),
        "ORG": (238, 140, 60),
    }.get(s.code, (240, 220, 170))
    spots = [
        (250, 700, 560, 230, -8),
        (700, 640, 520, 220, 12),
        (420, 830, 600, 240, 4),
        (900, 820, 520, 230, -14),
    ]
    for x, y, w, h, a in spots:
        c.shadow(x + w / 2 + 30, y + h * 0.9, w * 0.45, 30, 0.45)
        produce(
            c,
            x,
            y,
            w,
            h,
            skin=skin,
            outline=kumara_outline(c.rng),
            gloss=0.2,
            speckle=lit(skin, 0.6),
            speckles=120,
            angle=a,
        )
    # One cut open.
    cut_x, cut_y = 1180, 720
    c.shadow(cut_x + 140, cut_y + 230, 190, 30, 0.45)
    produce(
        c, cut_x, cut_y, 300, 240, skin=skin, outline=kumara_outline(c.rng), gloss=0.2
    )
    face = ellipse_mask(170, 210)
    c.body(sphere(flesh, 0.15, 0.8), (cut_x + 190, cut_y + 15), face, (24, 24))
    c.fill(
        lit(skin, 0.8),
        (cut_x + 190, cut_y + 15),
        ImageChops.subtract(
            face, ellipse_mask(170, 210).resize((156, 196)).crop((-7, -7, 163, 203))
        ),
    )


def paint_crate(s: Scene) -> None:
    c = s.c
    x, y, w, h = 330, 620, 940, 420
    # What is in it, heaped above the front board.
    kind_avocado = s.code == "SEC" and s.colour[1] > s.colour[0]
    for row in range(2):
        for k in range(6):
            px = x + 20 + k * 150 + (75 if row else 0) + c.rng.random() * 20
            py = y - 110 + row * 60 + c.rng.random() * 20
            if px > x + w - 160:
                continue
            if kind_avocado:
                produce(
                    c,
                    px,
                    py,
                    170,
                    220,
                    skin=s.colour,
                    outline=avocado_outline(c.rng),
                    gloss=0.35,
                    speckle=lit(s.colour, 1.35),
                    speckles=120,
                    angle=c.rng.uniform(-30, 30),
                )
            else:
                skins = (
                    [s.colour, (139, 47, 74), (211, 155, 42), (224, 120, 42)]
                    if s.code == "MIX"
                    else [s.colour]
                )
                produce(
                    c,
                    px - 40,
                    py,
                    280,
                    140,
                    skin=skins[(row + k) % len(skins)],
                    outline=kumara_outline(c.rng),
                    gloss=0.2,
                    speckle=lit(s.colour, 0.6),
                    speckles=60,
                    angle=c.rng.uniform(-25, 25),
                )
    crate_front(c, x, y, w, h)


def crate_front(c: Canvas, x: float, y: float, w: float, h: float) -> None:
    wood = (206, 164, 110)
    c.shadow(x + w / 2 + 40, y + h, w * 0.55, 50, 0.55)
    slats = 3
    gap = 18
    slat_h = (h - gap * (slats - 1)) / slats
    for i in range(slats):
        sy = y + i * (slat_h + gap)
        layer = field(
            round(w),
            round(slat_h),
            lambda u, v: lit(wood, 0.75 + 0.35 * (1 - v) - 0.1 * u),
            (8, 8),
        )
        d = ImageDraw.Draw(layer)
        for g in range(9):  # the grain
            gy = c.rng.random() * slat_h
            d.line(
                [(gx, gy + 5 * math.sin(gx / 60 + g)) for gx in range(0, round(w), 20)],
                fill=lit(wood, 0.7),
                width=2,
            )
        c.put(layer, (x, sy), rounded_mask(round(w), round(slat_h), 6))
    for post in (x, x + w - 60):
        c.body(
            cylinder(lit(wood, 0.9), 0.1, 0.55),
            (post, y - 20),
            rounded_mask(60, round(h + 20), 6),
            (32, 2),
        )
    c.text(
        (x + w / 2, y + slat_h * 1.5 + gap),
        "PRODUCE OF NEW ZEALAND",
        round(slat_h * 0.28),
        (110, 70, 40),
    )


def paint_oysters(s: Scene) -> None:
    c = s.c
    # A round platter of crushed ice.
    px, py, pw, ph = 260, 600, 1080, 470
    c.shadow(px + pw / 2 + 30, py + ph * 0.85, pw * 0.52, 70, 0.55)
    c.body(sphere((60, 66, 72), 0.3, 0.6), (px, py), ellipse_mask(pw, ph), (32, 16))
    ice = Image.new("RGB", (pw - 60, ph - 50), (230, 238, 242))
    d = ImageDraw.Draw(ice)
    for _ in range(900):
        ix, iy = c.rng.random() * (pw - 60), c.rng.random() * (ph - 50)
        r = 6 + c.rng.random() * 16
        d.ellipse(
            (ix - r, iy - r * 0.7, ix + r, iy + r * 0.7),
            fill=mix((200, 218, 228), WHITE, c.rng.random()),
        )
    c.put(ice, (px + 30, py + 20), ellipse_mask(pw - 60, ph - 50))
    shell = s.colour
    spots = [(380, 640), (640, 610), (900, 630), (470, 800), (760, 790), (1030, 780)]
    if s.code == "SHK":  # a pottle of shucked oysters instead
        pottle(c, 800, 1000, shell)
        return
    for i, (x, y) in enumerate(spots):
        oyster(c, x, y, 260, 190, shell, i * 23 - 40)
    lemon(c, 1120, 680)


def oyster(
    c: Canvas, x: float, y: float, w: float, h: float, shell: Colour, angle: float
) -> None:
    outline = blob(50, lambda a: 0.92 + 0.08 * math.cos(3 * a), c.rng, 0.12)
    iw, ih = round(w), round(h)
    mask = polygon_mask(iw, ih, [(u * w, v * h) for u, v in outline])
    layer = field(iw, ih, sphere(shell, 0.2, 0.4), (24, 24))
    d = ImageDraw.Draw(layer)
    for k in range(7):  # the shell's growth layers
        f = 1 - k * 0.11
        d.ellipse(
            (w * (1 - f) / 2, h * (1 - f) / 2, w * (1 + f) / 2, h * (1 + f) / 2),
            outline=mix(lit(shell, 0.6), (240, 236, 226), 0.15 * k),
            width=max(2, round(w / 70)),
        )
    # The cup: nacre, and the oyster in it.
    nacre = polygon_mask(
        round(w * 0.78),
        round(h * 0.74),
        [(u * w * 0.78, v * h * 0.74) for u, v in outline],
    )
    layer.paste(
        field(
            round(w * 0.78),
            round(h * 0.74),
            sphere((238, 236, 230), 0.6, 0.75),
            (16, 16),
        ),
        (round(w * 0.11), round(h * 0.13)),
        nacre,
    )
    meat_outline = blob(40, lambda a: 0.95, c.rng, 0.15)
    meat = polygon_mask(
        round(w * 0.56),
        round(h * 0.5),
        [(u * w * 0.56, v * h * 0.5) for u, v in meat_outline],
    )
    layer.paste(
        field(
            round(w * 0.56), round(h * 0.5), sphere((205, 196, 176), 0.7, 0.6), (16, 16)
        ),
        (round(w * 0.22), round(h * 0.25)),
        meat,
    )
    frill = ImageChops.subtract(meat, meat.filter(ImageFilter.MinFilter(9)))
    layer.paste((110, 100, 96), (round(w * 0.22), round(h * 0.25)), frill)
    c.put(
        layer.rotate(angle, Image.Resampling.BICUBIC, expand=True),
        (x, y),
        mask.rotate(angle, Image.Resampling.BICUBIC, expand=True),
    )


def lemon(c: Canvas, x: float, y: float) -> None:
    wedge = supersampled(
        200,
        110,
        lambda d, s: d.chord((0, -110 * s, 200 * s, 110 * s), 0, 180, fill=255),
    )
    c.body(sphere((246, 214, 60), 0.4, 0.6), (x, y), wedge, (24, 12))
    c.body(
        sphere((252, 244, 190), 0.3, 0.8),
        (x + 12, y),
        wedge.resize((176, 80)),
        (24, 12),
    )


def pottle(c: Canvas, cx: float, base: float, shell: Colour) -> None:
    w, h = 480, 300
    c.shadow(cx + 30, base, w * 0.6, 40, 0.5)
    body = polygon_mask(w, h, [(0, 0), (w, 0), (w * 0.9, h), (w * 0.1, h)])
    c.body(cylinder((232, 238, 240), 0.5, 0.7), (cx - w / 2, base - h), body, (96, 2))
    top = ellipse_mask(w, 120)
    c.body(
        sphere((200, 196, 180), 0.6, 0.6), (cx - w / 2, base - h - 60), top, (32, 16)
    )
    for k in range(5):
        ox = cx - w / 2 + 40 + k * 80
        c.body(
            sphere((214, 204, 182), 0.7, 0.6),
            (ox, base - h - 50 + (k % 2) * 20),
            ellipse_mask(120, 70),
            (16, 16),
        )
    c.text((cx, base - h / 2), "SHUCKED", 48, (40, 70, 80))


def paint_seed_packet(s: Scene) -> None:
    c = s.c
    cx, w, h = 760, 560, 760
    top = 260
    c.shadow(cx + 60, top + h + 10, w * 0.6, 40, 0.45)
    paper = (246, 240, 224)
    c.body(
        cylinder(paper, 0.08, 0.8), (cx - w / 2, top), rounded_mask(w, h, 8), (64, 2)
    )
    flap = polygon_mask(w, 90, [(0, 0), (w, 0), (w * 0.92, 90), (w * 0.08, 90)])
    c.fill(lit(paper, 0.88), (cx - w / 2, top), flap)
    # The picture on the packet.
    pic_w, pic_h = w - 80, round(h * 0.5)
    sky = field(
        pic_w, pic_h, lambda u, v: mix((214, 232, 240), (170, 206, 150), v), (4, 16)
    )
    c.put(sky, (cx - pic_w / 2, top + 120), rounded_mask(pic_w, pic_h, 10))
    px, py = cx, top + 120 + pic_h / 2
    colour = s.colour
    if s.code in {"TOM", "BEAN", "PHA", "SPR"}:
        for k, (dx, dy, r) in enumerate([(-90, 20, 95), (80, 40, 80), (0, -70, 70)]):
            c.body(
                sphere(colour, 0.6, 0.35),
                (px + dx - r, py + dy - r),
                ellipse_mask(2 * r, round(2 * r * (0.8 if s.code == "BEAN" else 1))),
                (24, 24),
            )
            if s.code == "TOM":
                leaf(c, px + dx - 30, py + dy - r - 10, 60, 30, (60, 120, 50), 10 * k)
    elif s.code == "CAR":
        for dx in (-110, 0, 110):
            root = polygon_mask(90, 260, [(0, 0), (90, 0), (48, 260), (42, 260)])
            c.body(cylinder(colour, 0.3), (px + dx - 45, py - 80), root, (32, 2))
            for k in range(3):
                leaf(
                    c,
                    px + dx - 40 + k * 20,
                    py - 170,
                    50,
                    110,
                    (70, 130, 50),
                    -20 + k * 20,
                )
    else:
        for k in range(5):
            leaf(
                c,
                px - 200 + k * 70,
                py - 120 + (k % 2) * 30,
                170,
                90,
                lit(colour, 0.9 + 0.1 * k),
                -60 + k * 28,
                heart=s.code == "CLO",
            )
    c.text((cx, top + 120 + pic_h + 70), s.words[0], 44, (60, 50, 40), w - 60)
    if len(s.words) > 1:
        c.text((cx, top + 120 + pic_h + 130), s.words[1], 32, s.maker[1], w - 60)
    c.text((cx, top + h - 50), "SEEDS", 36, s.maker[0])
    for _ in range(14):  # a few seeds spilled
        sx, sy = cx + 330 + c.rng.random() * 200, top + h - 20 + c.rng.random() * 60
        c.body(
            sphere(lit(colour, 0.55) if s.code != "BEAN" else colour, 0.4),
            (sx, sy),
            ellipse_mask(22, 16),
            (8, 8),
        )


def paint_plant(s: Scene) -> None:
    c = s.c
    cx, base = 800, 1040
    pot_w, pot_h = 420, 360
    c.shadow(cx + 40, base, pot_w * 0.6, 40, 0.5)
    pot = polygon_mask(
        pot_w, pot_h, [(0, 0), (pot_w, 0), (pot_w * 0.85, pot_h), (pot_w * 0.15, pot_h)]
    )
    c.body(
        cylinder((188, 96, 60), 0.2, 0.5), (cx - pot_w / 2, base - pot_h), pot, (64, 2)
    )
    c.body(
        cylinder((170, 84, 52), 0.2, 0.5),
        (cx - pot_w / 2 - 15, base - pot_h),
        rounded_mask(pot_w + 30, 60, 8),
        (64, 2),
    )
    colour = s.colour
    if s.code == "HRK":  # harakeke: long blades fanning up
        for k in range(9):
            angle = -40 + k * 10
            blade = polygon_mask(50, 620, [(0, 620), (25, 0), (50, 620)])
            layer = field(
                50,
                620,
                cylinder(lit((70, 100, 45), 0.85 + 0.05 * (k % 3)), 0.3),
                (16, 2),
            )
            c.put(
                layer.rotate(angle, expand=True),
                (cx - 60 - angle * 6, base - pot_h - 600),
                blade.rotate(angle, expand=True),
            )
        return
    green = (60, 110, 50) if s.code != "KWH" else (90, 130, 60)
    for _ in range(22):
        a = c.rng.uniform(-math.pi, 0)
        r = c.rng.uniform(80, 300)
        lx, ly = cx + math.cos(a) * r - 90, base - pot_h - 170 + math.sin(a) * r * 0.9
        leaf(
            c,
            lx,
            ly,
            190 if s.code == "KWK" else 150,
            150 if s.code == "KWK" else 70,
            lit(green, c.rng.uniform(0.8, 1.2)),
            c.rng.uniform(-60, 60),
            heart=s.code == "KWK",
        )
    if s.code in {"KWH", "HEB"}:
        for _ in range(18):
            a = c.rng.uniform(-math.pi, 0)
            r = c.rng.uniform(60, 280)
            fx, fy = cx + math.cos(a) * r, base - pot_h - 140 + math.sin(a) * r * 0.9
            c.body(
                sphere(colour, 0.3, 0.5),
                (fx, fy),
                ellipse_mask(40, 80 if s.code == "HEB" else 50),
                (8, 8),
            )
