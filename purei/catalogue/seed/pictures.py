"""The demo's product pictures: still lifes drawn with Pillow, no downloads.

``product_picture(subject, …)`` paints one product on a studio backdrop at
1600 x 1200 pixels: a wine bottle with a label in its maker's colours, a jar of
honey, a kete, a crate of kūmara, avocados, oysters on ice, cans of beer, steel
beams and pipes, a carved panel, a framed print … (``SUBJECTS`` lists them). Light
comes from the upper left: every rounded thing is shaded as a cylinder or a sphere
(a small field of colours computed in Python, then smoothly enlarged), with a
specular highlight and a soft shadow on the table. Edges are drawn at twice the
size and reduced, so they are smooth. The same arguments always give the same
pixels (a seeded ``random.Random``), so seeding twice draws the same pictures.
"""

from __future__ import annotations

import math
import random
import unicodedata
from collections.abc import Callable, Sequence

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

__all__ = ["SIZE", "SUBJECTS", "product_picture"]

SIZE = (1600, 1200)
W, H = SIZE
TABLE = 800  # where the wall meets the table
Colour = tuple[int, int, int]
Point = tuple[float, float]
WHITE: Colour = (255, 255, 255)
BLACK: Colour = (0, 0, 0)
LIGHT = (-0.45, -0.55, 0.70)  # towards the light, from the upper left and front


# --- Colours ---------------------------------------------------------------------


def rgb(hex_colour: str) -> Colour:
    value = hex_colour.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def mix(a: Colour, b: Colour, t: float) -> Colour:
    t = min(1.0, max(0.0, t))
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def lit(c: Colour, k: float) -> Colour:
    """``c`` under light ``k``: 0 black, 1 itself, above 1 towards white."""
    return mix(BLACK, c, k) if k <= 1 else mix(c, WHITE, (k - 1) * 0.8)


def _luma(c: Colour) -> float:
    return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]


# --- Fields of colour, masks, layers -----------------------------------------------


def field(
    w: int, h: int, fn: Callable[[float, float], Colour], grid: tuple[int, int]
) -> Image.Image:
    """A ``w`` by ``h`` picture whose colour at (u, v) in the unit square is ``fn``,
    computed on a small grid and smoothly enlarged (shading is low-frequency)."""
    gw, gh = grid
    small = Image.new("RGB", (gw, gh))
    small.putdata(
        [fn((x + 0.5) / gw, (y + 0.5) / gh) for y in range(gh) for x in range(gw)]
    )
    return small.resize((max(1, w), max(1, h)), Image.Resampling.BICUBIC)


def cylinder(
    base: Colour, gloss: float = 0.5, ambient: float = 0.35
) -> Callable[[float, float], Colour]:
    """Shading of an upright cylinder lit from the upper left."""

    def fn(u: float, v: float) -> Colour:
        t = u * 2 - 1
        nz = math.sqrt(max(0.0, 1 - t * t))
        diffuse = max(0.0, t * -0.55 + nz * 0.83)
        c = lit(base, ambient + 0.85 * diffuse)
        spec = gloss * math.exp(-(((t + 0.48) / 0.09) ** 2))
        rim = gloss * 0.35 * math.exp(-(((t - 0.82) / 0.06) ** 2))
        return mix(c, WHITE, spec + rim)

    return fn


def sphere(
    base: Colour, gloss: float = 0.35, ambient: float = 0.3
) -> Callable[[float, float], Colour]:
    """Shading of a rounded body (ellipsoid) lit from the upper left."""

    def fn(u: float, v: float) -> Colour:
        x, y = u * 2 - 1, v * 2 - 1
        r2 = min(1.0, x * x + y * y)
        z = math.sqrt(1 - r2)
        d = max(0.0, x * LIGHT[0] + y * LIGHT[1] + z * LIGHT[2])
        c = lit(base, ambient + 0.95 * d)
        return mix(c, WHITE, gloss * d**24)

    return fn


def _supersampled(
    w: int, h: int, paint: Callable[[ImageDraw.ImageDraw, float], None]
) -> Image.Image:
    """An antialiased mask: ``paint`` draws at twice the size (it gets the scale)."""
    big = Image.new("L", (w * 2, h * 2), 0)
    paint(ImageDraw.Draw(big), 2.0)
    return big.resize((w, h), Image.Resampling.LANCZOS)


def polygon_mask(w: int, h: int, points: Sequence[Point]) -> Image.Image:
    return _supersampled(
        w, h, lambda d, s: d.polygon([(x * s, y * s) for x, y in points], fill=255)
    )


def ellipse_mask(w: int, h: int) -> Image.Image:
    return _supersampled(
        w, h, lambda d, s: d.ellipse((0, 0, w * s - 1, h * s - 1), fill=255)
    )


def rounded_mask(w: int, h: int, radius: float) -> Image.Image:
    return _supersampled(
        w,
        h,
        lambda d, s: d.rounded_rectangle(
            (0, 0, w * s - 1, h * s - 1), radius * s, fill=255
        ),
    )


def shaded(
    fn: Callable[[float, float], Colour],
    w: int,
    h: int,
    mask: Image.Image,
    grid: tuple[int, int] = (48, 48),
) -> tuple[Image.Image, Image.Image]:
    return field(w, h, fn, grid), mask


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


# --- The canvas ------------------------------------------------------------------


class Canvas:
    def __init__(self, background: Colour, seed: str) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - a picture's grain, not a secret
        wall_top = mix(background, WHITE, 0.35)
        wall_low = lit(background, 0.93)
        table_near = lit(mix(background, (150, 120, 90), 0.25), 0.86)
        table_far = lit(mix(background, (150, 120, 90), 0.18), 1.0)

        def backdrop(u: float, v: float) -> Colour:
            y = v * H
            vignette = 1 - 0.12 * ((u - 0.45) ** 2 * 2 + (v - 0.45) ** 2)
            if y < TABLE:
                c = mix(wall_top, wall_low, y / TABLE)
            else:
                c = mix(table_far, table_near, (y - TABLE) / (H - TABLE))
            return lit(c, vignette)

        self.image = field(W, H, backdrop, (40, 120))
        # The edge of the table catches the light.
        edge = Image.new("L", (W, 4), 40)
        self.image.paste(WHITE, (0, TABLE - 2), edge)

    def put(self, layer: Image.Image, at: Point, mask: Image.Image) -> None:
        self.image.paste(layer, (round(at[0]), round(at[1])), mask)

    def fill(self, colour: Colour, at: Point, mask: Image.Image) -> None:
        self.image.paste(colour, (round(at[0]), round(at[1])), mask)

    def body(
        self,
        fn: Callable[[float, float], Colour],
        at: Point,
        mask: Image.Image,
        grid: tuple[int, int] = (48, 48),
    ) -> None:
        w, h = mask.size
        self.put(field(w, h, fn, grid), at, mask)

    def shadow(
        self, cx: float, cy: float, rx: float, ry: float, strength: float = 0.45
    ) -> None:
        """A soft contact shadow on the table, centred at (cx, cy)."""
        q = 4
        small = Image.new("L", (W // q, H // q), 0)
        ImageDraw.Draw(small).ellipse(
            ((cx - rx) / q, (cy - ry) / q, (cx + rx) / q, (cy + ry) / q),
            fill=round(255 * strength),
        )
        small = small.filter(ImageFilter.GaussianBlur(max(rx, ry) / q / 4))
        self.image.paste(BLACK, (0, 0), small.resize(SIZE, Image.Resampling.BILINEAR))

    def glint(
        self,
        box: tuple[float, float, float, float],
        strength: float = 0.55,
        blur: float = 6,
    ) -> None:
        """A soft white reflection (on glass, metal, glaze)."""
        x0, y0, x1, y1 = box
        pad = round(blur * 3)
        w, h = round(x1 - x0) + 2 * pad, round(y1 - y0) + 2 * pad
        mask = Image.new("L", (w, h), 0)
        ImageDraw.Draw(mask).rounded_rectangle(
            (pad, pad, w - pad, h - pad), min(w, h) / 2, fill=round(255 * strength)
        )
        self.image.paste(
            WHITE,
            (round(x0) - pad, round(y0) - pad),
            mask.filter(ImageFilter.GaussianBlur(blur)),
        )

    def text(
        self, xy: Point, words: str, size: int, colour: Colour, width: float = 0
    ) -> None:
        """``words`` centred on ``xy``, made smaller to fit ``width`` if given.

        Pillow's own font has no macrons or acutes: the letters are drawn bare and
        each mark is drawn over its letter (so "Mānuka" and "Rosé" are spelt right).
        """
        if not words:
            return
        letters: list[tuple[str, str]] = []  # (letter, its mark or "")
        for char in unicodedata.normalize("NFD", words.replace("\u00d7", "x")):
            if unicodedata.combining(char) and letters:
                letters[-1] = (letters[-1][0], char)
            else:
                letters.append((char, ""))
        bare = "".join(letter for letter, _mark in letters)
        face = font(size)
        if width and face.getlength(bare) > width:
            size = max(10, int(size * width / face.getlength(bare)))
            face = font(size)
        draw = ImageDraw.Draw(self.image)
        left, _top, _right, _bottom = draw.textbbox(xy, bare, font=face, anchor="mm")
        draw.text(xy, bare, fill=colour, font=face, anchor="mm")
        stroke = max(1, round(size / 14))
        for i, (letter, mark) in enumerate(letters):
            if not mark:
                continue
            x0 = left + face.getlength(bare[:i])
            x1 = left + face.getlength(bare[: i + 1])
            glyph_top = draw.textbbox(xy, bare, font=face, anchor="mm")[1]
            top = draw.textbbox((x0, xy[1]), letter, font=face, anchor="lm")[1]
            top = max(top, glyph_top)
            y = top - size * 0.12
            inset = (x1 - x0) * 0.18
            if mark == "\u0304":  # macron
                draw.line((x0 + inset, y, x1 - inset, y), fill=colour, width=stroke)
            elif mark == "\u0301":  # acute
                draw.line(
                    (x0 + (x1 - x0) * 0.4, y, x0 + (x1 - x0) * 0.7, y - size * 0.16),
                    fill=colour,
                    width=stroke,
                )
            elif mark == "\u0308":  # diaeresis
                for dx in (0.3, 0.7):
                    cx = x0 + (x1 - x0) * dx
                    draw.ellipse(
                        (cx - stroke, y - stroke, cx + stroke, y + stroke), fill=colour
                    )


# --- Shapes ----------------------------------------------------------------------


def _bottle_outline(
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


def _mirror(right: list[Point], cx: float) -> list[Point]:
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
    outline = _mirror(_bottle_outline(w, h, neck, shoulder, square), w / 2)
    mask = polygon_mask(round(w), round(h), outline)
    c.body(cylinder(glass, gloss=0.75, ambient=0.45), (cx - w / 2, top), mask, (96, 2))
    if liquid is not None:  # clear glass: the wine or oil shows through
        fill_top = h * shoulder * 0.9
        liquid_mask = ImageChops.multiply(
            mask, _box_mask(round(w), round(h), (0, fill_top, w, h))
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
            _mirror(
                [
                    (p[0] * 1.03, p[1])
                    for p in _bottle_outline(w, h, neck, shoulder, square)
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


def _box_mask(w: int, h: int, box: tuple[float, float, float, float]) -> Image.Image:
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
        _box_mask(round(w), round(body_h), (0, 0, w, body_h)),
        (96, 2),
    )
    c.body(
        cylinder(band, gloss=0.45, ambient=0.5),
        (cx - w / 2, top + h * 0.5),
        _box_mask(round(w), round(h * 0.18), (0, 0, w, h * 0.18)),
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
        mix(band, WHITE, 0.9) if _luma(band) < 140 else (30, 30, 30),
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


def _blob(
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

    return _blob(72, r, rng, 0.02)


# --- The subjects ----------------------------------------------------------------

Painter = Callable[["Scene"], None]


class Scene:
    """What a painter gets: the canvas, the product's colours and its words."""

    def __init__(
        self,
        canvas: Canvas,
        colour: Colour,
        maker: Sequence[Colour],
        words: Sequence[str],
        code: str,
    ) -> None:
        self.c = canvas
        self.colour = colour
        self.maker = maker  # the maker's two colours (label, ink)
        self.words = words
        self.code = code
        self.rng = canvas.rng


def paint_wine(s: Scene) -> None:
    pale = _luma(s.colour) > 150
    red = not pale and s.colour[0] > s.colour[1] * 1.6
    rose = s.code in {"RO", "PG"}
    glass = (34, 20, 26) if red else ((226, 226, 214) if rose else (44, 70, 40))
    liquid = mix(s.colour, (240, 170, 150), 0.2) if rose else None
    label = mix(s.maker[0], (250, 246, 236), 0.85)
    sparkling = s.code == "SP"
    # A second bottle behind, then the hero bottle, then a glass of the wine.
    bottle(
        s.c,
        640,
        1070,
        900,
        glass=glass,
        label=label,
        ink=s.maker[1],
        band=s.maker[0],
        words=s.words,
        capsule=s.maker[0] if not sparkling else (214, 180, 90),
        w_ratio=0.25,
        shoulder=0.46,
        liquid=liquid,
    )
    wine = s.colour if not red else (110, 10, 40)
    wine_glass(
        s.c, 1080, 1090, 480, wine=mix(wine, (255, 230, 160), 0.2 if pale else 0)
    )


def wine_glass(c: Canvas, cx: float, base: float, h: float, *, wine: Colour) -> None:
    bowl_w, bowl_h = h * 0.55, h * 0.5
    top = base - h
    c.shadow(cx + 40, base, bowl_w * 0.6, bowl_w * 0.1, 0.35)
    # Foot and stem: thin glass, mostly highlights.
    foot = ellipse_mask(round(bowl_w * 0.75), round(h * 0.06))
    c.fill((225, 228, 230), (cx - bowl_w * 0.375, base - h * 0.04), foot)
    c.fill(
        (215, 220, 222),
        (cx - 5, top + bowl_h * 0.95),
        _box_mask(10, round(h - bowl_h * 0.95), (0, 0, 10, h)),
    )
    c.glint((cx - 3, top + bowl_h, cx + 2, base - h * 0.05), 0.7, 2)
    bowl = _supersampled(
        round(bowl_w),
        round(bowl_h),
        lambda d, s: d.chord(
            (0, -bowl_h * s * 0.9, bowl_w * s, bowl_h * s), 0, 180, fill=255
        ),
    )
    wine_mask = ImageChops.multiply(
        bowl,
        _box_mask(round(bowl_w), round(bowl_h), (0, bowl_h * 0.42, bowl_w, bowl_h)),
    )
    c.body(
        cylinder(wine, gloss=0.4, ambient=0.6),
        (cx - bowl_w / 2, top),
        wine_mask,
        (64, 2),
    )
    rim = Image.new("L", bowl.size, 0)
    rim.paste(90, (0, 0), bowl)
    edge = bowl.filter(ImageFilter.FIND_EDGES).filter(ImageFilter.GaussianBlur(1))
    c.fill(
        WHITE,
        (cx - bowl_w / 2, top),
        ImageChops.multiply(rim, Image.new("L", bowl.size, 80)),
    )
    c.fill(WHITE, (cx - bowl_w / 2, top), edge)
    c.glint(
        (
            cx - bowl_w * 0.36,
            top + bowl_h * 0.15,
            cx - bowl_w * 0.28,
            top + bowl_h * 0.7,
        ),
        0.6,
        4,
    )
    c.fill(
        lit(wine, 1.3),
        (cx - bowl_w * 0.47, top + bowl_h * 0.4),
        ellipse_mask(round(bowl_w * 0.94), round(bowl_h * 0.08)),
    )


def paint_oil(s: Scene) -> None:
    clear = _luma(s.colour) > 120
    glass = (210, 214, 196) if clear else (40, 62, 30)
    liquid = mix(s.colour, (230, 200, 60), 0.35) if clear else None
    bottle(
        s.c,
        720,
        1020,
        760,
        glass=glass,
        label=(248, 243, 228),
        ink=s.maker[1],
        band=s.maker[0],
        words=s.words,
        capsule=s.maker[0],
        w_ratio=0.24,
        shoulder=0.36,
        square=True,
        liquid=liquid,
    )
    for i in range(3):  # olives or avocados beside it
        produce(
            s.c,
            960 + i * 110,
            930 - (i % 2) * 40,
            130,
            100,
            skin=lit(s.colour, 0.9),
            outline=_blob(40, lambda a: 1.0, s.rng, 0.04),
            gloss=0.5,
        )


def paint_honey(s: Scene) -> None:
    honey = s.colour
    jar(
        s.c,
        720,
        1040,
        520,
        600,
        contents=honey,
        lid=(212, 170, 60),
        label=(252, 247, 232),
        ink=s.maker[1],
        words=s.words,
    )
    dipper(s.c, 1130, 1010, honey)


def dipper(c: Canvas, x: float, y: float, honey: Colour) -> None:
    wood = (196, 146, 88)
    handle = rounded_mask(360, 34, 17).rotate(18, Image.Resampling.BICUBIC, expand=True)
    c.shadow(x + 40, y + 40, 220, 26, 0.35)
    c.body(cylinder(wood, 0.3), (x - 150, y - 120), handle, (64, 2))
    head_w, head_h = 120, 150
    c.body(
        sphere(wood, 0.3),
        (x - 260, y - 40),
        ellipse_mask(head_w, head_h).rotate(-72, expand=True),
        (32, 32),
    )
    for k in range(4):
        ring = ellipse_mask(30, 140).rotate(-72, expand=True)
        c.fill(
            lit(wood, 0.6),
            (x - 250 + k * 28, y - 30 - k * 9),
            ImageChops.multiply(ring, Image.new("L", ring.size, 120)),
        )
    drip = _supersampled(
        90,
        120,
        lambda d, s: d.pieslice((0, -90 * s, 90 * s, 120 * s), 40, 140, fill=255),
    )
    c.body(sphere(honey, 0.6, 0.6), (x - 250, y + 60), drip, (24, 24))


def paint_preserve(s: Scene) -> None:
    jar(
        s.c,
        760,
        1040,
        480,
        520,
        contents=s.colour,
        lid=s.maker[0],
        label=(250, 245, 232),
        ink=s.maker[1],
        words=s.words,
        glow=_luma(s.colour) > 110,
        gingham=s.maker[0] if s.code in {"FEJ", "PLM", "LEM"} else None,
    )
    spoon_y = 1070
    s.c.shadow(1150, spoon_y, 170, 20, 0.3)
    s.c.body(
        cylinder((196, 150, 98), 0.3),
        (1020, spoon_y - 30),
        rounded_mask(300, 26, 13),
        (64, 2),
    )
    s.c.body(
        sphere((196, 150, 98), 0.3),
        (950, spoon_y - 52),
        ellipse_mask(110, 72),
        (24, 24),
    )
    s.c.body(
        sphere(s.colour, 0.5, 0.6), (965, spoon_y - 42), ellipse_mask(80, 48), (24, 24)
    )


def paint_balm(s: Scene) -> None:
    # A flat tin, open, beside its lid.
    c = s.c
    for cx, lid in ((640, True), (1030, False)):
        w, h = 420, 130
        c.shadow(cx + 30, 1010, w * 0.6, 40, 0.45)
        c.body(
            cylinder((190, 194, 198), 0.7),
            (cx - w / 2, 1010 - h),
            rounded_mask(w, h, 20),
            (96, 2),
        )
        top = ellipse_mask(w, 150)
        if lid:
            c.body(
                sphere(s.maker[0], 0.3, 0.55),
                (cx - w / 2, 1010 - h - 75),
                top,
                (32, 16),
            )
            c.text(
                (cx, 1010 - h),
                s.words[0],
                40,
                s.maker[1] if _luma(s.maker[0]) > 120 else WHITE,
                w * 0.8,
            )
        else:
            c.body(
                sphere((200, 204, 208), 0.3, 0.7),
                (cx - w / 2, 1010 - h - 75),
                top,
                (32, 16),
            )
            inner = ellipse_mask(w - 40, 120)
            c.body(
                sphere(mix(s.colour, (230, 230, 180), 0.4), 0.6, 0.7),
                (cx - w / 2 + 20, 1010 - h - 60),
                inner,
                (32, 16),
            )
    leaf(c, 1240, 880, 200, 120, (70, 120, 50), -20)


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
        outline = _blob(
            60, lambda a: 0.75 + 0.25 * abs(math.cos(a)) ** 0.3, c.rng, 0.04
        )
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


def paint_beer(s: Scene) -> None:
    colour, ink = s.maker
    band = mix(s.colour, WHITE, 0.1)
    can(
        s.c,
        1010,
        930,
        260,
        470,
        colour=lit(colour, 0.85),
        band=band,
        ink=ink if _luma(colour) > 140 else WHITE,
        words=s.words,
    )
    can(
        s.c,
        700,
        1060,
        330,
        600,
        colour=colour,
        band=band,
        ink=ink if _luma(colour) > 140 else WHITE,
        words=s.words,
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
        _box_mask(round(w), round(h * 0.55), (0, 0, w, h)),
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
    outline = _blob(50, lambda a: 0.92 + 0.08 * math.cos(3 * a), c.rng, 0.12)
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
    meat_outline = _blob(40, lambda a: 0.95, c.rng, 0.15)
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
    wedge = _supersampled(
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


def paint_pouch(s: Scene) -> None:
    c = s.c
    cx, base, w, h = 720, 1050, 520, 720
    c.shadow(cx + 40, base, w * 0.62, 50, 0.5)
    kraft = (196, 160, 116) if s.code not in {"PAP"} else lit(s.maker[0], 1.0)
    outline = [
        (w * 0.04, 0),
        (w * 0.96, 0),
        (w, h * 0.9),
        (w * 0.94, h),
        (w * 0.06, h),
        (0, h * 0.9),
    ]
    mask = polygon_mask(w, h, outline)
    c.body(
        cylinder(kraft, gloss=0.2, ambient=0.55), (cx - w / 2, base - h), mask, (96, 2)
    )
    crinkle = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(crinkle)
    for _ in range(14):
        x0 = c.rng.random() * w
        d.line(
            (x0, h * 0.02, x0 + c.rng.uniform(-30, 30), h * c.rng.uniform(0.1, 0.25)),
            fill=70,
            width=3,
        )
    c.fill(BLACK, (cx - w / 2, base - h), ImageChops.multiply(crinkle, mask))
    c.fill(
        lit(kraft, 0.75),
        (cx - w / 2 + 10, base - h + 60),
        _box_mask(w - 20, 10, (0, 0, w, 10)),
    )
    lw, lh = w * 0.78, h * 0.42
    label_y = base - h * 0.62
    c.body(
        cylinder(s.maker[0], 0.15, 0.6),
        (cx - lw / 2, label_y),
        rounded_mask(round(lw), round(lh), 14),
        (64, 2),
    )
    ink = WHITE if _luma(s.maker[0]) < 140 else s.maker[1]
    for i, word in enumerate(s.words[:3]):
        c.text(
            (cx, label_y + lh * (0.25 + 0.25 * i)),
            word,
            [54, 36, 30][i],
            ink,
            lw * 0.88,
        )
    # What is inside, spilled in front.
    for _ in range(7):
        px = cx + 230 + c.rng.random() * 330
        py = base - 60 + c.rng.random() * 80
        if s.code in {"HSE", "SO", "DCF"}:
            produce(
                c,
                px,
                py,
                70,
                50,
                skin=(92, 54, 30),
                outline=_blob(30, lambda a: 1.0, c.rng, 0.05),
                gloss=0.5,
            )
            c.fill((50, 28, 16), (px + 10, py + 23), _box_mask(50, 4, (0, 0, 50, 4)))
        elif s.code in {"KWT", "TEA"}:
            leaf(c, px, py - 20, 110, 50, lit(s.colour, 0.8), c.rng.uniform(-40, 40))
        else:
            produce(
                c,
                px,
                py,
                110,
                90,
                skin=mix(s.colour, (250, 200, 120), 0.3),
                outline=_blob(30, lambda a: 1.0, c.rng, 0.3),
                gloss=0.4,
                angle=c.rng.uniform(-40, 40),
            )


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


def paint_kete(s: Scene) -> None:
    c = s.c
    cx, base, w, h = 800, 1060, 760, 560
    top = base - h
    c.shadow(cx + 40, base, w * 0.58, 50, 0.55)
    flax = (200, 164, 96)
    dyed = lit(s.colour, 0.45)
    # Handles: two loops of plaited flax.
    for hx in (cx - w * 0.22, cx + w * 0.22):
        loop = _supersampled(
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
        (248, 245, 238), (x + 25, y + 25), _box_mask(mat_w, mat_h, (0, 0, mat_w, mat_h))
    )
    art_w, art_h = mat_w - 120, mat_h - 120
    dusk = landscape(art_w, art_h, s.colour, c.rng)
    c.put(dusk, (x + 85, y + 85), _box_mask(art_w, art_h, (0, 0, art_w, art_h)))
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
        outline = _blob(50, lambda a: 0.95 - 0.15 * math.sin(a), c.rng, 0.02)
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


def paint_steel(s: Scene) -> None:
    {
        "UB": paint_beam,
        "ANG": paint_beam,
        "PIPE": paint_pipes,
        "BRG": paint_bearing,
        "BASE": paint_plate,
        "STR": paint_stringer,
    }.get(s.code, paint_plate)(s)


def _extrude(c: Canvas, profile: Sequence[Point], depth: Point, steel: Colour) -> None:
    """A steel section: its end face ``profile`` and its length going back."""
    dx, dy = depth
    # The side faces: each edge of the profile swept back, lit by its direction.
    n = len(profile)
    faces = []
    for i in range(n):
        a, b = profile[i], profile[(i + 1) % n]
        normal = (b[1] - a[1], a[0] - b[0])
        length = math.hypot(*normal) or 1
        facing = (normal[0] * -0.4 + normal[1] * -0.9) / length
        faces.append(((a, b, (b[0] + dx, b[1] + dy), (a[0] + dx, a[1] + dy)), facing))
    draw = ImageDraw.Draw(c.image)
    for quad, facing in sorted(faces, key=lambda f: f[1]):
        draw.polygon(quad, fill=lit(steel, 0.55 + 0.5 * max(0.0, facing)))
    end = Image.new("L", SIZE, 0)
    ImageDraw.Draw(end).polygon(profile, fill=255)
    c.fill(lit(steel, 1.2), (0, 0), end)
    # Mill scale and brushed streaks on the end face.
    streaks = Image.new("L", SIZE, 0)
    ds = ImageDraw.Draw(streaks)
    xs = [p[0] for p in profile]
    ys = [p[1] for p in profile]
    for _ in range(60):
        yy = c.rng.uniform(min(ys), max(ys))
        ds.line((min(xs), yy, max(xs), yy + c.rng.uniform(-3, 3)), fill=40, width=2)
    c.fill(BLACK, (0, 0), ImageChops.multiply(streaks, end))


def paint_beam(s: Scene) -> None:
    c = s.c
    steel = s.colour
    c.shadow(900, 1010, 600, 70, 0.55)
    for k in range(2):
        ox, oy = 330 + k * 380, 640 - k * 0
        if s.code == "UB":
            fw, tf, hh, tw = 300, 36, 380, 26
            prof = [
                (0, 0),
                (fw, 0),
                (fw, tf),
                (fw / 2 + tw / 2, tf),
                (fw / 2 + tw / 2, hh - tf),
                (fw, hh - tf),
                (fw, hh),
                (0, hh),
                (0, hh - tf),
                (fw / 2 - tw / 2, hh - tf),
                (fw / 2 - tw / 2, tf),
                (0, tf),
            ]
        else:
            leg, t = 320, 40
            prof = [(0, 0), (t, 0), (t, leg - t), (leg, leg - t), (leg, leg), (0, leg)]
        profile = [(ox + px, oy + py) for px, py in prof]
        _extrude(c, profile, (520, -420), steel)
    c.text((1300, 1100), s.words[0] if s.words else "", 40, (60, 64, 70))


def paint_pipes(s: Scene) -> None:
    c = s.c
    galv = s.colour
    r = 120
    rows = [(4, 1000), (3, 1000 - 1.73 * r), (2, 1000 - 3.46 * r)]
    c.shadow(800, 1020, 560, 60, 0.55)
    for count, cy in rows:
        for k in range(count):
            cx = 800 + (k - (count - 1) / 2) * 2 * r
            # The pipe going back (a dark band above), then its end.
            c.fill(lit(galv, 0.6), (cx - r, cy - r - 30), rounded_mask(2 * r, 2 * r, r))
            c.body(
                sphere(galv, 0.6, 0.5),
                (cx - r, cy - r),
                ellipse_mask(2 * r, 2 * r),
                (32, 32),
            )
            spangle = Image.new("L", (2 * r, 2 * r), 0)
            dsp = ImageDraw.Draw(spangle)
            for _ in range(40):
                sx, sy = c.rng.random() * 2 * r, c.rng.random() * 2 * r
                dsp.polygon(
                    [(sx, sy), (sx + 14, sy + 4), (sx + 6, sy + 14)],
                    fill=c.rng.randrange(20, 70),
                )
            c.fill(
                WHITE,
                (cx - r, cy - r),
                ImageChops.multiply(spangle, ellipse_mask(2 * r, 2 * r)),
            )
            hole = round(r * 1.55)

            def bore(u: float, v: float) -> Colour:
                return lit(galv, 0.12 + 0.5 * max(0.0, v - 0.4))

            c.body(
                bore, (cx - hole / 2, cy - hole / 2), ellipse_mask(hole, hole), (16, 16)
            )


def paint_bearing(s: Scene) -> None:
    c = s.c
    paint = (50, 70, 110)
    x, y, w, h = 450, 470, 700, 520
    c.shadow(800, 1000, 420, 50, 0.55)
    base = rounded_mask(w, 110, 16)
    c.body(cylinder(paint, 0.3, 0.5), (x, y + h - 110), base, (64, 2))
    housing = _supersampled(
        480, 480, lambda d, s_: d.ellipse((0, 0, 480 * s_, 480 * s_), fill=255)
    )
    c.body(sphere(paint, 0.4, 0.45), (x + 110, y), housing, (40, 40))
    for bx in (x + 40, x + w - 110):
        c.body(
            sphere((30, 30, 34), 0.2), (bx, y + h - 85), ellipse_mask(70, 60), (8, 8)
        )
    insert = 300
    c.body(
        sphere((200, 204, 210), 0.9, 0.5),
        (x + 350 - insert / 2, y + 240 - insert / 2),
        ellipse_mask(insert, insert),
        (40, 40),
    )
    ring_mask = ellipse_mask(200, 200)
    c.body(sphere((150, 154, 160), 0.5, 0.4), (x + 250, y + 140), ring_mask, (24, 24))
    c.body(
        lambda u, v: lit((40, 42, 46), 0.3 + 0.7 * v),
        (x + 295, y + 185),
        ellipse_mask(110, 110),
        (8, 8),
    )
    c.body(sphere((214, 170, 60), 0.7), (x + 330, y - 40), ellipse_mask(40, 50), (8, 8))


def paint_plate(s: Scene) -> None:
    c = s.c
    steel = s.colour
    c.shadow(820, 960, 480, 80, 0.5)
    top = [(380, 760), (960, 660), (1240, 820), (660, 940)]
    draw = ImageDraw.Draw(c.image)
    draw.polygon([(380, 760), (660, 940), (660, 980), (380, 800)], fill=lit(steel, 0.7))
    draw.polygon(
        [(660, 940), (1240, 820), (1240, 860), (660, 980)], fill=lit(steel, 0.5)
    )
    c.body(
        lambda u, v: lit(steel, 1.15 - 0.3 * v + 0.1 * u),
        (0, 0),
        polygon_mask(W, H, top),
        (8, 8),
    )
    for hx, hy in ((470, 770), (930, 690), (1140, 815), (690, 900)):
        c.fill(lit(steel, 0.25), (hx - 28, hy - 14), ellipse_mask(56, 28))


def paint_stringer(s: Scene) -> None:
    c = s.c
    steel = s.colour
    c.shadow(820, 1020, 560, 50, 0.5)
    pts: list[Point] = [(260, 1000)]
    x, y = 260, 1000
    for _ in range(5):
        y -= 120
        pts.append((x, y))
        x += 200
        pts.append((x, y))
    pts += [(x + 60, y), (x + 60, y + 60), (330, 1000)]
    _extrude(c, pts, (60, -40), steel)


def paint_bowl(s: Scene) -> None:
    c = s.c
    glaze = s.colour
    cx, rim_y, w, h = 800, 620, 760, 380
    c.shadow(cx + 40, rim_y + h, w * 0.45, 50, 0.55)
    body = _supersampled(
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
    handle = _supersampled(
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
        _box_mask(w, 70, (0, 0, w, 70)),
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
            board.crop((0, h - 40, w, h)), _box_mask(w, 40, (0, 0, w, 40))
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
    c.body(cylinder(kraft, 0.1, 0.6), (x, y), _box_mask(w, h, (0, 0, w, h)), (64, 2))
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
        _box_mask(80, h, (0, 0, 80, h)),
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
    c.put(comb, (x + 40, y + 40), _box_mask(w - 80, h - 80, (0, 0, w, h)))


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
        _box_mask(500, 40, (0, 0, 500, 40)),
        (64, 2),
    )
    seat = polygon_mask(800, 170, [(60, 0), (800, 0), (740, 110), (0, 110)])
    c.body(lambda u, v: lit(wood, 1.15 - 0.2 * v), (400, 440), seat, (8, 8))
    c.body(
        cylinder(lit(wood, 0.8), 0.2),
        (400, 550),
        _box_mask(740, 40, (0, 0, 740, 40)),
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
                c.fill(lit(cloth, 0.6), (sx, 670), _box_mask(20, 110, (0, 0, 20, 110)))
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


def paint_fish(s: Scene) -> None:
    c = s.c
    x, y, w, h = 300, 620, 1000, 300
    c.shadow(x + w / 2 + 40, y + h, w * 0.5, 40, 0.5)
    board_mask = rounded_mask(w + 140, h + 140, 40)
    c.body(
        lambda u, v: lit((150, 110, 70), 1.05 - 0.2 * v),
        (x - 70, y - 70),
        board_mask,
        (8, 8),
    )
    outline = [
        (0, 0.5),
        (0.12, 0.15),
        (0.5, 0.02),
        (0.85, 0.2),
        (1.0, 0.0),
        (0.95, 0.5),
        (1.0, 1.0),
        (0.85, 0.8),
        (0.5, 0.98),
        (0.12, 0.85),
    ]
    produce(
        c,
        x,
        y,
        w,
        h,
        skin=s.colour,
        outline=outline,
        gloss=0.6,
        speckle=lit(s.colour, 0.6),
        speckles=200,
    )
    c.body(sphere((40, 30, 20), 0.8), (x + 90, y + 110), ellipse_mask(40, 40), (8, 8))


def paint_loaf(s: Scene) -> None:
    c = s.c
    x, y, w, h = 380, 520, 840, 480
    c.shadow(x + w / 2 + 40, y + h, w * 0.55, 50, 0.55)
    mask = ellipse_mask(w, h)
    layer = field(w, h, sphere(s.colour, 0.15, 0.4), (32, 32))
    d = ImageDraw.Draw(layer)
    for k in range(4):  # the scoring, opened into an "ear"
        sx = w * (0.22 + k * 0.18)
        d.line(
            (sx, h * 0.2, sx + 80, h * 0.75),
            fill=mix(s.colour, (240, 220, 180), 0.7),
            width=24,
        )
        d.line((sx + 10, h * 0.2, sx + 90, h * 0.75), fill=lit(s.colour, 0.6), width=6)
    for _ in range(400):  # flour dusting
        fx, fy = c.rng.random() * w, c.rng.random() * h * 0.5
        d.point((fx, fy), fill=(245, 240, 230))
    c.put(layer, (x, y), mask)


PAINTERS: dict[str, Painter] = {
    "wine-bottle": paint_wine,
    "oil-bottle": paint_oil,
    "honey-jar": paint_honey,
    "jar": paint_preserve,
    "tin": paint_balm,
    "cans": paint_beer,
    "avocados": paint_avocados,
    "kumara": paint_kumara,
    "crate": paint_crate,
    "oysters": paint_oysters,
    "fish": paint_fish,
    "loaf": paint_loaf,
    "pouch": paint_pouch,
    "seed-packet": paint_seed_packet,
    "kete": paint_kete,
    "carving": paint_carving,
    "print": paint_print,
    "pendant": paint_pendant,
    "bowl": paint_bowl,
    "plates": paint_plates,
    "mug": paint_mug,
    "vase": paint_vase,
    "steel": paint_steel,
    "board": paint_board,
    "bar": paint_bar,
    "box": paint_box,
    "textile": paint_textile,
    "plant": paint_plant,
    "tivaevae": paint_tivaevae,
}
SUBJECTS = frozenset(PAINTERS)


def product_picture(
    subject: str,
    *,
    colour: str,
    background: str,
    maker: tuple[str, str],
    words: Sequence[str],
    code: str,
) -> Image.Image:
    """Paint one product (``subject`` is one of ``SUBJECTS``) at 1600 x 1200.

    ``colour`` is the product's own (the wine, the honey, the glaze), ``maker`` the
    maker's two label colours, ``words`` at most three short lines for its label.
    """
    canvas = Canvas(rgb(background), f"{subject}/{code}/{colour}/{maker}/{words}")
    scene = Scene(canvas, rgb(colour), (rgb(maker[0]), rgb(maker[1])), words, code)
    PAINTERS[subject](scene)
    return canvas.image
