"""Wine, oil, honey, preserves, balm, beer, pouches, smoked fish and bread."""

from __future__ import annotations

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from .canvas import (
    BLACK,
    WHITE,
    Canvas,
    Colour,
    Scene,
    cylinder,
    ellipse_mask,
    field,
    lit,
    luma,
    mix,
    polygon_mask,
    rounded_mask,
    sphere,
    supersampled,
)
from .shapes import (
    blob,
    bottle,
    box_mask,
    can,
    jar,
    leaf,
    produce,
)


def paint_wine(s: Scene) -> None:
    pale = luma(s.colour) > 150
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
        box_mask(10, round(h - bowl_h * 0.95), (0, 0, 10, h)),
    )
    c.glint((cx - 3, top + bowl_h, cx + 2, base - h * 0.05), 0.7, 2)
    bowl = supersampled(
        round(bowl_w),
        round(bowl_h),
        lambda d, s: d.chord(
            (0, -bowl_h * s * 0.9, bowl_w * s, bowl_h * s), 0, 180, fill=255
        ),
    )
    wine_mask = ImageChops.multiply(
        bowl,
        box_mask(round(bowl_w), round(bowl_h), (0, bowl_h * 0.42, bowl_w, bowl_h)),
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
    clear = luma(s.colour) > 120
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
            outline=blob(40, lambda a: 1.0, s.rng, 0.04),
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
    drip = supersampled(
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
        glow=luma(s.colour) > 110,
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
                s.maker[1] if luma(s.maker[0]) > 120 else WHITE,
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
        ink=ink if luma(colour) > 140 else WHITE,
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
        ink=ink if luma(colour) > 140 else WHITE,
        words=s.words,
    )


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
        box_mask(w - 20, 10, (0, 0, w, 10)),
    )
    lw, lh = w * 0.78, h * 0.42
    label_y = base - h * 0.62
    c.body(
        cylinder(s.maker[0], 0.15, 0.6),
        (cx - lw / 2, label_y),
        rounded_mask(round(lw), round(lh), 14),
        (64, 2),
    )
    ink = WHITE if luma(s.maker[0]) < 140 else s.maker[1]
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
                outline=blob(30, lambda a: 1.0, c.rng, 0.05),
                gloss=0.5,
            )
            c.fill((50, 28, 16), (px + 10, py + 23), box_mask(50, 4, (0, 0, 50, 4)))
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
                outline=blob(30, lambda a: 1.0, c.rng, 0.3),
                gloss=0.4,
                angle=c.rng.uniform(-40, 40),
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
