"""Steel: beams and angles, pipes, a bearing, a base plate, a stair stringer."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PIL import Image, ImageChops, ImageDraw

from .canvas import (
    BLACK,
    SIZE,
    WHITE,
    Canvas,
    Colour,
    H,
    Point,
    Scene,
    W,
    cylinder,
    ellipse_mask,
    lit,
    polygon_mask,
    rounded_mask,
    sphere,
    supersampled,
)


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
    housing = supersampled(
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
