"""The canvas, colours, shading fields and masks the painters share."""

from __future__ import annotations

import math
import random
import unicodedata
from collections.abc import Callable, Sequence

from PIL import Image, ImageDraw, ImageFilter, ImageFont

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


def luma(c: Colour) -> float:
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


def supersampled(
    w: int, h: int, paint: Callable[[ImageDraw.ImageDraw, float], None]
) -> Image.Image:
    """An antialiased mask: ``paint`` draws at twice the size (it gets the scale)."""
    big = Image.new("L", (w * 2, h * 2), 0)
    paint(ImageDraw.Draw(big), 2.0)
    return big.resize((w, h), Image.Resampling.LANCZOS)


def polygon_mask(w: int, h: int, points: Sequence[Point]) -> Image.Image:
    return supersampled(
        w, h, lambda d, s: d.polygon([(x * s, y * s) for x, y in points], fill=255)
    )


def ellipse_mask(w: int, h: int) -> Image.Image:
    return supersampled(
        w, h, lambda d, s: d.ellipse((0, 0, w * s - 1, h * s - 1), fill=255)
    )


def rounded_mask(w: int, h: int, radius: float) -> Image.Image:
    return supersampled(
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
