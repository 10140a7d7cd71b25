"""Shapes several painters use: bottles, jars, cans, rounded produce, leaves."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence

from PIL import Image, ImageChops, ImageDraw

from .canvas import (
    BLACK,
    WHITE,
    Canvas,
    Colour,
    Point,
    cylinder,
    ellipse_mask,
    field,
    lit,
    luma,
    mix,
    polygon_mask,
    rounded_mask,
    sphere,
)

# --- Shapes ----------------------------------------------------------------------


def bottle_outline(
    w: float, h: float, neck: float, shoulder: float, square: bool
) -> list[Point]:
    """Right half outline of a bottle (x from the axis), top to bottom."""
    half, neck_half = w / 2, neck / 2
    points: list[Point] = [
        (neck_half * 1.08, 0),
        (neck_half * 1.08, h * 0.03),
        (neck_half, h * 0.035),
    ]
    neck_end = h * shoulder * 0.62
    points.append((neck_half, neck_end))
    steps = 14
    for i in range(1, steps + 1):
        t = i / steps
        ease = t * t * (3 - 2 * t) if not square else math.sin(t * math.pi / 2) ** 0.5
        points.append(
            (
                neck_half + (half - neck_half) * ease,
                neck_end + (h * shoulder - neck_end) * t,
            )
        )
    points += [(half, h * 0.97), (half * 0.96, h), (0, h)]
    return points


def mirror(right: list[Point], cx: float) -> list[Point]:
    left = [(cx - x, y) for x, y in reversed(right)]
    return [*[(cx + x, y) for x, y in right], *left]


def bottle(
    c: Canvas,
    cx: float,
    base: float,
    h: float,
    *,
    glass: Colour,
    label: Colour,
    ink: Colour,
    band: Colour,
    words: Sequence[str],
    capsule: Colour | None,
    w_ratio: float = 0.29,
    shoulder: float = 0.42,
    square: bool = False,
    liquid: Colour | None = None,
) -> None:
    w = h * w_ratio
    neck = h * 0.105
    top = base - h
    c.shadow(cx + w * 0.35, base, w * 0.95, w * 0.16, 0.5)
    outline = mirror(bottle_outline(w, h, neck, shoulder, square), w / 2)
    mask = polygon_mask(round(w), round(h), outline)
    c.body(cylinder(glass, gloss=0.75, ambient=0.45), (cx - w / 2, top), mask, (96, 2))
    if liquid is not None:  # clear glass: the wine or oil shows through
        fill_top = h * shoulder * 0.9
        liquid_mask = ImageChops.multiply(
            mask, box_mask(round(w), round(h), (0, fill_top, w, h))
        )
        c.body(
            cylinder(liquid, gloss=0.6, ambient=0.55),
            (cx - w / 2, top),
            liquid_mask,
            (96, 2),
        )
    if capsule is not None:
        cap_h = h * 0.2
        cap = polygon_mask(
            round(w),
            round(cap_h),
            mirror(
                [
                    (p[0] * 1.03, p[1])
                    for p in bottle_outline(w, h, neck, shoulder, square)
                    if p[1] <= cap_h
                ],
                w / 2,
            ),
        )
        c.body(cylinder(capsule, gloss=0.55), (cx - w / 2, top), cap, (96, 2))
    # The label wraps the body: paper shaded as a cylinder, softly.
    lw, lh = w * 1.0, h * 0.3
    ly = base - h * 0.44
    label_mask = rounded_mask(round(lw), round(lh), 4)
    c.body(
        cylinder(label, gloss=0.12, ambient=0.62),
        (cx - lw / 2, ly),
        label_mask,
        (96, 2),
    )
    band_mask = rounded_mask(round(lw), round(lh * 0.2), 1)
    c.body(
        cylinder(band, gloss=0.15, ambient=0.55),
        (cx - lw / 2, ly + lh * 0.72),
        band_mask,
        (96, 2),
    )
    sizes = [round(lh * 0.16), round(lh * 0.11), round(lh * 0.09)]
    for i, word in enumerate(words[:3]):
        c.text(
            (cx - w * 0.04, ly + lh * (0.22 + 0.2 * i)),
            word,
            sizes[min(i, 2)],
            ink,
            lw * 0.84,
        )
    c.glint((cx - w * 0.36, top + h * 0.46, cx - w * 0.28, base - h * 0.08), 0.35, 5)


def box_mask(w: int, h: int, box: tuple[float, float, float, float]) -> Image.Image:
    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).rectangle(box, fill=255)
    return mask


def jar(
    c: Canvas,
    cx: float,
    base: float,
    w: float,
    h: float,
    *,
    contents: Colour,
    lid: Colour,
    label: Colour,
    ink: Colour,
    words: Sequence[str],
    glow: bool = True,
    lid_ridges: bool = True,
    gingham: Colour | None = None,
) -> None:
    top = base - h
    c.shadow(cx + w * 0.25, base, w * 0.75, w * 0.13, 0.5)
    body_mask = rounded_mask(round(w), round(h * 0.9), w * 0.14)
    body_y = base - h * 0.9
    # The contents, lit through the glass: brighter in the middle when translucent.
    fill = cylinder(contents, gloss=0.25, ambient=0.55)

    def translucent(u: float, v: float) -> Colour:
        base_c = fill(u, v)
        if not glow:
            return base_c
        centre = math.exp(-(((u - 0.55) / 0.28) ** 2)) * (0.6 + 0.4 * v)
        return mix(base_c, mix(contents, (255, 236, 150), 0.55), centre * 0.55)

    c.body(translucent, (cx - w / 2, body_y), body_mask, (64, 32))
    # The glass: a rim of light and two reflections.
    c.glint((cx - w * 0.38, body_y + h * 0.12, cx - w * 0.3, base - h * 0.12), 0.6, 4)
    c.glint((cx + w * 0.3, body_y + h * 0.2, cx + w * 0.34, base - h * 0.25), 0.3, 3)
    # The lid.
    lid_h = h * 0.16
    lid_w = w * 0.9
    lid_mask = rounded_mask(round(lid_w), round(lid_h), lid_h * 0.2)
    if gingham is not None:  # a cloth cover, tied: chequered
        cloth = Image.new("RGB", lid_mask.size, WHITE)
        d = ImageDraw.Draw(cloth)
        step = max(8, round(lid_w / 12))
        for i in range(0, round(lid_w) + step, step):
            d.rectangle((i, 0, i + step / 2, lid_h), fill=mix(gingham, WHITE, 0.35))
        for j in range(0, round(lid_h) + step, step):
            d.rectangle((0, j, lid_w, j + step / 2), fill=mix(gingham, WHITE, 0.35))
        for i in range(0, round(lid_w) + step, step):
            for j in range(0, round(lid_h) + step, step):
                d.rectangle((i, j, i + step / 2, j + step / 2), fill=gingham)
        shade = field(
            lid_mask.size[0],
            lid_mask.size[1],
            cylinder((235, 235, 235), 0.1, 0.6),
            (64, 2),
        )
        c.put(ImageChops.multiply(cloth, shade), (cx - lid_w / 2, top), lid_mask)
    else:
        c.body(cylinder(lid, gloss=0.6), (cx - lid_w / 2, top), lid_mask, (96, 2))
        if lid_ridges:
            ridges = Image.new("L", lid_mask.size, 0)
            d = ImageDraw.Draw(ridges)
            for x in range(0, round(lid_w), max(6, round(lid_w / 40))):
                d.line((x, 2, x, lid_h - 2), fill=60, width=2)
            c.fill(BLACK, (cx - lid_w / 2, top), ImageChops.multiply(ridges, lid_mask))
    # The label.
    lw, lh = w * 0.98, h * 0.36
    ly = base - h * 0.58
    c.body(
        cylinder(label, gloss=0.1, ambient=0.65),
        (cx - lw / 2, ly),
        rounded_mask(round(lw), round(lh), 3),
        (96, 2),
    )
    sizes = [round(lh * 0.2), round(lh * 0.13), round(lh * 0.11)]
    for i, word in enumerate(words[:3]):
        c.text(
            (cx - w * 0.03, ly + lh * (0.28 + 0.25 * i)), word, sizes[i], ink, lw * 0.84
        )


def can(
    c: Canvas,
    cx: float,
    base: float,
    w: float,
    h: float,
    *,
    colour: Colour,
    band: Colour,
    ink: Colour,
    words: Sequence[str],
) -> None:
    top = base - h
    c.shadow(cx + w * 0.3, base, w * 0.8, w * 0.12, 0.5)
    silver = (196, 200, 206)
    c.body(
        cylinder(silver, gloss=0.7),
        (cx - w / 2, top),
        rounded_mask(round(w), round(h), w * 0.08),
        (96, 2),
    )
    body_h = h * 0.86
    c.body(
        cylinder(colour, gloss=0.55),
        (cx - w / 2, top + h * 0.07),
        box_mask(round(w), round(body_h), (0, 0, w, body_h)),
        (96, 2),
    )
    c.body(
        cylinder(band, gloss=0.45, ambient=0.5),
        (cx - w / 2, top + h * 0.5),
        box_mask(round(w), round(h * 0.18), (0, 0, w, h * 0.18)),
        (96, 2),
    )
    # The lid seen a little from above.
    lid_mask = ellipse_mask(round(w * 0.98), round(w * 0.2))
    c.body(
        sphere((210, 214, 220), 0.2, 0.55),
        (cx - w * 0.49, top - w * 0.08),
        lid_mask,
        (32, 8),
    )
    tab = ellipse_mask(round(w * 0.22), round(w * 0.07))
    c.fill((150, 154, 160), (cx - w * 0.05, top - w * 0.03), tab)
    for i, word in enumerate(words[:2]):
        c.text(
            (cx - w * 0.04, top + h * (0.3 + 0.12 * i)),
            word,
            round(w * (0.16 if i == 0 else 0.1)),
            ink,
            w * 0.8,
        )
    c.text(
        (cx - w * 0.04, top + h * 0.59),
        "440 ml",
        round(w * 0.09),
        mix(band, WHITE, 0.9) if luma(band) < 140 else (30, 30, 30),
    )


def produce(
    c: Canvas,
    x: float,
    y: float,
    w: float,
    h: float,
    *,
    skin: Colour,
    outline: Sequence[Point],
    gloss: float = 0.25,
    speckle: Colour | None = None,
    speckles: int = 0,
    angle: float = 0,
) -> None:
    """One rounded thing (an avocado, a kūmara …), its outline in the unit square."""
    iw, ih = round(w), round(h)
    mask = polygon_mask(iw, ih, [(u * w, v * h) for u, v in outline])
    layer = field(iw, ih, sphere(skin, gloss), (40, 40))
    if speckle is not None and speckles:
        d = ImageDraw.Draw(layer)
        for _ in range(speckles):
            px, py = c.rng.random() * w, c.rng.random() * h
            r = 1 + c.rng.random() * max(2.0, w / 120)
            d.ellipse(
                (px - r, py - r, px + r, py + r),
                fill=mix(speckle, lit(skin, 0.9), c.rng.random() * 0.5),
            )
    if angle:
        layer = layer.rotate(angle, Image.Resampling.BICUBIC, expand=True)
        mask = mask.rotate(angle, Image.Resampling.BICUBIC, expand=True)
    c.put(layer, (x, y), mask)


def blob(
    points: int,
    squash: Callable[[float], float],
    rng: random.Random,
    wobble: float = 0.03,
) -> list[Point]:
    """A closed outline in the unit square: radius ``squash(angle)``, wobbling."""
    out: list[Point] = []
    for i in range(points):
        a = 2 * math.pi * i / points
        r = squash(a) * (1 + (rng.random() - 0.5) * wobble)
        out.append((0.5 + 0.5 * r * math.cos(a), 0.5 + 0.5 * r * math.sin(a)))
    return out


def avocado_outline(rng: random.Random) -> list[Point]:
    """A pear: round at the bottom, narrower at the neck, a little uneven."""
    lean = rng.uniform(-0.03, 0.03)

    def half_width(t: float) -> float:
        round_ = math.sqrt(max(0.0, t * (1 - t))) * 2
        neck = min(1.0, max(0.0, (t - 0.2) / 0.5))
        return 0.5 * round_ * (0.6 + 0.4 * neck * neck * (3 - 2 * neck))

    steps = [k / 40 for k in range(41)]
    right = [(0.5 + half_width(t) + lean * (1 - t), t) for t in steps]
    left = [(0.5 - half_width(t) + lean * (1 - t), t) for t in reversed(steps)]
    return right + left


def kumara_outline(rng: random.Random) -> list[Point]:
    # A spindle: tapered at both ends, a little lumpy.
    bumps = [rng.random() * 0.08 for _ in range(5)]

    def r(a: float) -> float:
        c_ = abs(math.cos(a))
        taper = 0.42 + 0.58 * math.sin(a) ** 2
        bump = sum(b * math.cos((k + 2) * a + k) for k, b in enumerate(bumps))
        return min(1.0, max(0.3, (0.55 + 0.45 * taper + bump) * (0.9 + 0.1 * c_)))

    return blob(72, r, rng, 0.02)


def leaf(
    c: Canvas,
    x: float,
    y: float,
    w: float,
    h: float,
    colour: Colour,
    angle: float,
    heart: bool = False,
) -> None:
    iw, ih = round(w), round(h)
    if heart:
        outline = blob(60, lambda a: 0.75 + 0.25 * abs(math.cos(a)) ** 0.3, c.rng, 0.04)
    else:
        outline = [
            (u, 0.5 + 0.5 * math.sin(math.pi * u) ** 0.8 * (1 if i < 30 else -1))
            for i, u in enumerate(
                [*[k / 29 for k in range(30)], *[1 - k / 29 for k in range(30)]]
            )
        ]
    mask = polygon_mask(iw, ih, [(u * w, v * h) for u, v in outline])
    layer = field(iw, ih, sphere(colour, 0.25, 0.45), (24, 24))
    d = ImageDraw.Draw(layer)
    d.line(
        (w * 0.05, h * 0.5, w * 0.95, h * 0.5),
        fill=lit(colour, 1.35),
        width=max(2, round(h / 40)),
    )
    for k in range(1, 6):
        xk = w * k / 6.5
        d.line(
            (xk, h * 0.5, xk + w * 0.12, h * 0.2),
            fill=lit(colour, 1.2),
            width=max(1, round(h / 70)),
        )
        d.line(
            (xk, h * 0.5, xk + w * 0.12, h * 0.8),
            fill=lit(colour, 1.2),
            width=max(1, round(h / 70)),
        )
    c.put(
        layer.rotate(angle, Image.Resampling.BICUBIC, expand=True),
        (x, y),
        mask.rotate(angle, Image.Resampling.BICUBIC, expand=True),
    )
