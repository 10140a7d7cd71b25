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

from collections.abc import Sequence

from PIL import Image

from .art import (
    paint_carving,
    paint_kete,
    paint_pendant,
    paint_print,
    paint_tivaevae,
)
from .canvas import SIZE, Canvas, Painter, Scene, rgb
from .homeware import (
    paint_bar,
    paint_board,
    paint_bowl,
    paint_box,
    paint_mug,
    paint_plates,
    paint_textile,
    paint_vase,
)
from .pantry import (
    paint_balm,
    paint_beer,
    paint_fish,
    paint_honey,
    paint_loaf,
    paint_oil,
    paint_pouch,
    paint_preserve,
    paint_wine,
)
from .produce import (
    paint_avocados,
    paint_crate,
    paint_kumara,
    paint_oysters,
    paint_plant,
    paint_seed_packet,
)
from .steel import paint_steel

__all__ = ["SIZE", "SUBJECTS", "product_picture"]

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
