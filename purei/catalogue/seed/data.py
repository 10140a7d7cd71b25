# ruff: noqa: RUF001 - the multiplication sign is right in dimensions
"""The demo's products: a handful for every seed member business (data, not code).

Each member sells a few products drawn from the templates of its trade (``KINDS``);
``MEMBER_KINDS`` names the trade of members whose business differs from their
cluster's usual one. Everything here is fictional, described plainly, and priced
honestly in cents, GST-inclusive. Natural-health products are described as what
they are, with no therapeutic claims (Medicines Act 1981).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from purei.catalogue.models import Variant

TRACKED = Variant.StockPolicy.TRACKED
MADE = Variant.StockPolicy.MADE_TO_ORDER
UNLIMITED = Variant.StockPolicy.UNLIMITED


@dataclass(frozen=True)
class SeedVariant:
    code: str  # SKU suffix
    name: str
    price_cents: int
    stock: int = 24
    policy: Variant.StockPolicy = TRACKED
    lead_time_days: int | None = None
    weight_grams: int | None = None
    options: dict[str, str] = field(default_factory=dict)
    # Delivery quoted per order (docs/orders.md "Freight on quote").
    freight_on_quote: bool = False


@dataclass(frozen=True)
class SeedProduct:
    code: str  # SKU stem, unique within a kind
    title: str
    category: str
    description: str
    variants: tuple[SeedVariant, ...]
    attributes: dict[str, str | int] = field(default_factory=dict)
    shape: str = "box"  # what the generated photo draws
    colour: str = "#2f6b4f"  # the shape's colour
    cultural: bool = False  # carries cultural designs
    one_off: bool = False  # a single piece: stock 1
    # The title in te reo Māori, only where the words are attested (docs/te-reo.md).
    title_mi: str = ""


def v(
    code: str,
    name: str,
    price_cents: int,
    stock: int = 24,
    *,
    grams: int | None = None,
    lead: int | None = None,
    policy: Variant.StockPolicy = TRACKED,
    freight: bool = False,
) -> SeedVariant:
    return SeedVariant(
        code,
        name,
        price_cents,
        stock,
        MADE if lead else policy,
        lead,
        grams,
        {"size": name},
        freight,
    )


def _wine(varietal: str, code: str, price: int, note: str, colour: str) -> SeedProduct:
    return SeedProduct(
        code,
        f"Marlborough {varietal}",
        "wine",
        f"{note} Grown and made in Marlborough, bottled under screwcap, and sent in "
        "a six-bottle carton when you take the pack.",
        (
            v("750", "750 ml bottle", price, 60, grams=1300),
            v("6PK", "6-pack", price * 6 - 1200, 12, grams=7800),
        ),
        {"varietal": varietal, "region_of_origin": "Marlborough"},
        shape="wine-bottle",
        colour=colour,
    )


def _beer(style: str, code: str, abv: str, price: int, note: str) -> SeedProduct:
    return SeedProduct(
        code,
        f"{style}",
        "beer-cider",
        f"{note} Brewed in small batches and canned on site; keep it cold.",
        (
            v("440", "440 ml can", price, 96, grams=480),
            v("6PK", "6-pack of 440 ml cans", price * 6 - 400, 20, grams=2900),
        ),
        {"style": style, "abv": abv},
        shape="cans",
        colour="#c98a1b",
    )


KINDS: dict[str, tuple[SeedProduct, ...]] = {
    "wine": (
        _wine(
            "Sauvignon Blanc",
            "SB",
            2450,
            "Passionfruit, cut grass and a long, "
            "mineral finish from stony Wairau soils.",
            "#9fbf5a",
        ),
        _wine(
            "Pinot Noir",
            "PN",
            3900,
            "Cherry and thyme from clay slopes on the "
            "Southern Valleys side, eleven months in old French oak.",
            "#7a1f3d",
        ),
        _wine(
            "Chardonnay",
            "CH",
            3200,
            "Wild-fermented, with stone fruit and a "
            "little hazelnut from lees stirring.",
            "#e0c35a",
        ),
        _wine(
            "Pinot Gris",
            "PG",
            2600,
            "Pear and ginger, off-dry, made for summer food and long lunches.",
            "#d7b98a",
        ),
        _wine(
            "Riesling",
            "RI",
            2800,
            "Lime and jasmine, with a touch of sweetness balanced by bright acid.",
            "#c6d36b",
        ),
        _wine(
            "Rosé",
            "RO",
            2400,
            "Pale and dry, pressed from Pinot Noir; strawberries and a salty edge.",
            "#e59aa6",
        ),
        _wine(
            "Sparkling",
            "SP",
            4200,
            "Traditional method, two years on lees, fine bubbles and brioche.",
            "#efe3a2",
        ),
        _wine(
            "Gewürztraminer",
            "GW",
            2900,
            "Lychee and rose petal; lovely with spiced food.",
            "#d9a441",
        ),
    ),
    "oysters": (
        SeedProduct(
            "PAC",
            "Pacific oysters in the shell",
            "oysters-seafood",
            "Harvested to order from our racks in the harbour, graded, washed and "
            "packed on ice. Sent overnight in a chilled box; open them the day they "
            "arrive.",
            (
                v("DZ", "1 dozen", 2800, lead=3, grams=1600),
                v("3DZ", "3 dozen", 7500, lead=3, grams=4600),
            ),
            {"region_of_origin": "Te Hiku o te Ika, Northland"},
            "oysters",
            "#8aa1a8",
        ),
        SeedProduct(
            "ROCK",
            "Rock oysters (tio para)",
            "oysters-seafood",
            "Smaller, sweeter native rock oysters from the wild-caught spat we grow "
            "on. Made to order, packed on ice and sent the same day.",
            (
                v("DZ", "1 dozen", 3400, lead=4, grams=1400),
                v("3DZ", "3 dozen", 9200, lead=4, grams=4000),
            ),
            {"region_of_origin": "Te Hiku o te Ika, Northland"},
            "oysters",
            "#6d8891",
            title_mi="Tio para",
        ),
        SeedProduct(
            "SHK",
            "Freshly shucked oysters, pottle",
            "oysters-seafood",
            "Opened by hand the morning they leave, in their own liquor. A "
            "half-dozen or a dozen in a sealed pottle, chilled.",
            (
                v("6", "half-dozen pottle", 1900, lead=2, grams=350),
                v("12", "dozen pottle", 3500, lead=2, grams=650),
            ),
            {"region_of_origin": "Te Hiku o te Ika, Northland"},
            "oysters",
            "#a3b7b9",
        ),
        SeedProduct(
            "KNF",
            "Oyster shucking knife",
            "other",
            "A short, stiff blade with a guard and a wooden handle, the same knife "
            "our crew use on the racks.",
            (v("1", "one knife", 2400, 40, grams=120),),
            {},
            "bar",
            "#7b5a3c",
        ),
        SeedProduct(
            "GIFT",
            "Oyster lovers' gift box",
            "oysters-seafood",
            "Two dozen Pacific oysters, a shucking knife and a bottle of our "
            "lemon-and-kawakawa mignonette, packed on ice. Made to order.",
            (v("BOX", "gift box", 8900, lead=5, grams=3600),),
            {"region_of_origin": "Te Hiku o te Ika, Northland"},
            "box",
            "#4f7d87",
        ),
    ),
    "smokehouse": (
        SeedProduct(
            "KAH",
            "Mānuka-smoked kahawai",
            "oysters-seafood",
            "Line-caught kahawai, dry-brined and smoked over mānuka sawdust. "
            "Vacuum-packed and chilled; ready to flake onto toast.",
            (
                v("300", "about 300 g", 1650, 30, grams=320),
                v("600", "about 600 g", 2950, 15, grams=630),
            ),
            {"region_of_origin": "Northland"},
            "fish",
            "#b7793a",
        ),
        SeedProduct(
            "SOY",
            "Smoked oysters in olive oil",
            "oysters-seafood",
            "Parengarenga oysters, lightly smoked and packed in Northland olive "
            "oil. A pantry jar that keeps for months unopened.",
            (v("180", "180 g jar", 1850, 48, grams=320),),
            {},
            "jar",
            "#8c5a2b",
        ),
        SeedProduct(
            "MUS",
            "Smoked mussel pâté",
            "food-preserves",
            "Smoked green-lipped mussels blended with cream cheese and lemon. Keep "
            "it chilled and eat within a week of opening.",
            (v("150", "150 g pottle", 1100, 24, grams=180),),
            {},
            "jar",
            "#d09a5a",
        ),
        SeedProduct(
            "SAL",
            "Smoked fish sampler",
            "oysters-seafood",
            "Kahawai, trevally and smoked mussels in one chilled box, smoked "
            "the week it leaves.",
            (v("BOX", "sampler box", 4900, 12, grams=1100),),
            {},
            "box",
            "#a0672f",
        ),
    ),
    "avocados": (
        SeedProduct(
            "HASS",
            "Hass avocados, tray",
            "fresh-produce",
            "Hass avocados picked hard from our Bay of Plenty trees and packed in "
            "a single-layer tray. Ripen them on the bench for four or five days.",
            (
                v("18", "tray of 18 (large)", 4200, 40, grams=5500),
                v("23", "tray of 23 (medium)", 3800, 40, grams=5500),
                v("28", "tray of 28 (small)", 3400, 40, grams=5500),
            ),
            {"variety": "Hass", "region_of_origin": "Bay of Plenty"},
            "avocados",
            "#3f5d2a",
        ),
        SeedProduct(
            "REED",
            "Reed avocados, tray",
            "fresh-produce",
            "Big, round, late-summer Reeds with buttery flesh that stays green. "
            "Picked to order in February and March.",
            (v("12", "tray of 12", 3600, 20, grams=5500),),
            {"variety": "Reed", "region_of_origin": "Bay of Plenty"},
            "avocados",
            "#4f7a2f",
        ),
        SeedProduct(
            "SEC",
            "Avocado seconds box",
            "fresh-produce",
            "Marked skins, odd shapes, perfectly good inside. A 5 kg box for "
            "guacamole, smoothies and freezing.",
            (v("5KG", "5 kg box", 2200, 30, grams=5200),),
            {"variety": "Hass", "region_of_origin": "Bay of Plenty"},
            "crate",
            "#6b8e3d",
        ),
        SeedProduct(
            "HALF",
            "Hass avocados, half tray",
            "fresh-produce",
            "A dozen ripening Hass avocados for a smaller household, picked the "
            "day before they are sent.",
            (v("12", "12 avocados", 2400, 40, grams=2900),),
            {"variety": "Hass", "region_of_origin": "Bay of Plenty"},
            "avocados",
            "#35502a",
        ),
        SeedProduct(
            "GEM",
            "Gem avocados, tray",
            "fresh-produce",
            "A newer variety with a nutty flavour and a skin that stays glossy; "
            "smaller trees, so fewer fruit each season.",
            (v("20", "tray of 20", 4000, 15, grams=5500),),
            {"variety": "Gem", "region_of_origin": "Bay of Plenty"},
            "avocados",
            "#2d4a22",
        ),
    ),
    "avocado-oil": (
        SeedProduct(
            "EVA",
            "Cold-pressed avocado oil",
            "food-preserves",
            "Extra-virgin oil pressed from Bay of Plenty fruit, bright green and "
            "grassy. High smoke point for searing.",
            (
                v("250", "250 ml", 1800, 60, grams=480),
                v("500", "500 ml", 3000, 40, grams=900),
            ),
            {},
            "oil-bottle",
            "#5f8a2c",
        ),
        SeedProduct(
            "LIME",
            "Lime-infused avocado oil",
            "food-preserves",
            "Pressed together with whole Bay of Plenty limes for a fresh, citrus "
            "oil. Lovely on fish.",
            (v("250", "250 ml", 1950, 40, grams=480),),
            {},
            "oil-bottle",
            "#9cbf3b",
        ),
        SeedProduct(
            "GAR",
            "Garlic-infused avocado oil",
            "food-preserves",
            "Pressed with local garlic; a finishing oil for bread and roast "
            "vegetables.",
            (v("250", "250 ml", 1950, 40, grams=480),),
            {},
            "oil-bottle",
            "#b8b05a",
        ),
    ),
    "kumara": (
        SeedProduct(
            "RED",
            "Red kūmara (Owairaka Red)",
            "fresh-produce",
            "The classic Kaipara kūmara: purple-red skin, creamy white flesh, "
            "grown in the river silt and cured for sweetness.",
            (
                v("5KG", "5 kg box", 2200, 80, grams=5100),
                v("10KG", "10 kg box", 3900, 50, grams=10200),
            ),
            {"variety": "Owairaka Red", "region_of_origin": "Kaipara, Northland"},
            "kumara",
            "#8b2f4a",
        ),
        SeedProduct(
            "GOLD",
            "Gold kūmara (Toka Toka Gold)",
            "fresh-produce",
            "Golden skin and flesh, drier and nutty; the best kūmara for roasting "
            "and chips.",
            (
                v("5KG", "5 kg box", 2400, 60, grams=5100),
                v("10KG", "10 kg box", 4200, 40, grams=10200),
            ),
            {"variety": "Toka Toka Gold", "region_of_origin": "Kaipara, Northland"},
            "kumara",
            "#d39b2a",
        ),
        SeedProduct(
            "ORG",
            "Orange kūmara (Beauregard)",
            "fresh-produce",
            "Bright orange, moist and sweet; mash it, bake it or put it in a soup.",
            (
                v("5KG", "5 kg box", 2400, 60, grams=5100),
                v("10KG", "10 kg box", 4200, 40, grams=10200),
            ),
            {"variety": "Beauregard", "region_of_origin": "Kaipara, Northland"},
            "kumara",
            "#e0782a",
        ),
        SeedProduct(
            "MIX",
            "Mixed kūmara box",
            "fresh-produce",
            "Red, gold and orange kūmara in one box, so you can taste the "
            "difference side by side.",
            (
                v("5KG", "5 kg box", 2500, 40, grams=5100),
                v("10KG", "10 kg box", 4400, 25, grams=10200),
            ),
            {"variety": "Mixed", "region_of_origin": "Kaipara, Northland"},
            "crate",
            "#a4553a",
        ),
        SeedProduct(
            "SEC",
            "Kūmara seconds",
            "fresh-produce",
            "Knobbly, split or small kūmara, just as good to eat; a 10 kg box at "
            "a lower price.",
            (v("10KG", "10 kg box", 2600, 30, grams=10200),),
            {"variety": "Owairaka Red", "region_of_origin": "Kaipara, Northland"},
            "crate",
            "#7a3a3a",
        ),
    ),
    "kumara-crisps": (
        SeedProduct(
            "SALT",
            "Kūmara crisps, sea salt",
            "food-preserves",
            "Thin-sliced Kaipara kūmara, cooked in small batches and salted with "
            "Marlborough sea salt.",
            (
                v("150", "150 g bag", 650, 120, grams=170),
                v("CASE", "case of 12 bags", 6900, 20, grams=2100),
            ),
            {},
            "pouch",
            "#d88a2b",
        ),
        SeedProduct(
            "PAP",
            "Kūmara crisps, smoked paprika",
            "food-preserves",
            "Gold kūmara crisps with smoked paprika and a little chilli.",
            (v("150", "150 g bag", 650, 100, grams=170),),
            {},
            "pouch",
            "#b5472a",
        ),
        SeedProduct(
            "FLR",
            "Kūmara flour",
            "food-preserves",
            "Dried and stone-milled orange kūmara; use a quarter in bread or all "
            "of it in gluten-free pancakes.",
            (v("500", "500 g bag", 1200, 50, grams=520),),
            {},
            "pouch",
            "#e3a24a",
        ),
    ),
    "seeds": (
        SeedProduct(
            "TOM",
            "Heirloom tomato seed, 'Money Maker'",
            "seeds",
            "An old New Zealand favourite: reliable, round red fruit on tall "
            "vines. Germination tested this season.",
            (
                v("PKT", "packet (about 50 seeds)", 450, 200, grams=10),
                v("10G", "10 g bulk", 2200, 30, grams=20),
            ),
            {"variety": "Money Maker"},
            "seed-packet",
            "#c7392f",
        ),
        SeedProduct(
            "PAR",
            "Flat-leaf parsley seed",
            "seeds",
            "Italian flat-leaf parsley, sown spring to autumn in South Canterbury "
            "and cleaned on our farm.",
            (
                v("PKT", "packet (about 500 seeds)", 400, 200, grams=10),
                v("100G", "100 g bulk", 1800, 40, grams=110),
            ),
            {"variety": "Italian Giant"},
            "seed-packet",
            "#3f7a34",
        ),
        SeedProduct(
            "CLO",
            "White clover seed, 'Tribute'",
            "seeds",
            "A pasture clover bred for New Zealand conditions; coated and "
            "inoculated, ready to sow.",
            (
                v("1KG", "1 kg bag", 2900, 60, grams=1050),
                v("5KG", "5 kg bag", 12900, 20, grams=5100),
            ),
            {"variety": "Tribute"},
            "seed-packet",
            "#5d8c3c",
        ),
        SeedProduct(
            "PHA",
            "Phacelia seed",
            "seeds",
            "A fast cover crop with purple flowers the bees love; sow it between "
            "vegetable crops.",
            (
                v("PKT", "packet (25 g)", 550, 150, grams=30),
                v("1KG", "1 kg bag", 3400, 30, grams=1050),
            ),
            {"variety": "Phacelia tanacetifolia"},
            "seed-packet",
            "#6f5aa8",
        ),
        SeedProduct(
            "CAR",
            "Carrot seed, 'Nantes'",
            "seeds",
            "Sweet, blunt-ended carrots for home gardens; grown and tested in "
            "South Canterbury.",
            (v("PKT", "packet (about 800 seeds)", 400, 200, grams=10),),
            {"variety": "Nantes"},
            "seed-packet",
            "#e07b26",
        ),
        SeedProduct(
            "SPR",
            "Alfalfa sprouting seed",
            "seeds",
            "Certified for sprouting: tested for germination and cleanliness, "
            "sold by weight.",
            (
                v("250G", "250 g", 1200, 80, grams=260),
                v("1KG", "1 kg", 3600, 30, grams=1050),
            ),
            {"variety": "Alfalfa"},
            "seed-packet",
            "#b4c25a",
        ),
        SeedProduct(
            "BEAN",
            "Climbing bean seed, 'Scarlet Runner'",
            "seeds",
            "A generous, old-fashioned climber with red flowers, saved from our "
            "own plants.",
            (v("PKT", "packet (about 25 seeds)", 450, 150, grams=40),),
            {"variety": "Scarlet Runner"},
            "seed-packet",
            "#a3342c",
        ),
    ),
    "art": (
        SeedProduct(
            "WK",
            "Whakairo panel, tōtara",
            "art-taonga",
            "A carved relief panel in recycled tōtara, finished with oil. One "
            "piece only; the artist signs the back and writes a note on its "
            "story.",
            (v("1", "the panel", 185000, 1, grams=4200),),
            {
                "medium": "Whakairo (wood carving), tōtara",
                "dimensions": "900 × 300 × 40 mm",
                "edition": "One-off",
            },
            "carving",
            "#7b4a26",
            cultural=True,
            one_off=True,
        ),
        SeedProduct(
            "KETE",
            "Kete whakairo (patterned harakeke kete)",
            "art-taonga",
            "A kete woven from harakeke gathered and prepared by hand, with a "
            "patterned band dyed with paru. One of a kind.",
            (v("1", "the kete", 42000, 1, grams=400),),
            {
                "medium": "Raranga (harakeke weaving)",
                "dimensions": "350 × 280 mm",
                "edition": "One-off",
            },
            "kete",
            "#b08a3e",
            cultural=True,
            one_off=True,
            title_mi="Kete whakairo",
        ),
        SeedProduct(
            "PRT",
            "Screen print, 'Te Awanui at dusk'",
            "art-taonga",
            "A four-colour screen print of Tauranga Harbour on cotton rag paper, "
            "signed and numbered.",
            (
                v("A3", "A3, unframed", 18000, 12, grams=200),
                v("A3F", "A3, framed", 32000, 4, grams=2200),
            ),
            {
                "medium": "Screen print",
                "dimensions": "420 × 297 mm",
                "edition": "Edition of 30",
            },
            "print",
            "#2b5f8a",
        ),
        SeedProduct(
            "TKI",
            "Pounamu toki pendant",
            "art-taonga",
            "A small toki carved from West Coast pounamu, on an adjustable "
            "cord. One-off piece.",
            (v("1", "the pendant", 38000, 1, grams=60),),
            {"medium": "Pounamu", "dimensions": "55 × 22 mm", "edition": "One-off"},
            "pendant",
            "#3c7a5a",
            cultural=True,
            one_off=True,
        ),
        SeedProduct(
            "TUKU",
            "Tukutuku panel",
            "art-taonga",
            "A woven lattice panel of kiekie and pīngao on timber rods, in a "
            "traditional pattern. Made to commission.",
            (v("1", "commissioned panel", 240000, 0, lead=90, grams=5000),),
            {
                "medium": "Tukutuku (lattice weaving)",
                "dimensions": "1200 × 600 mm",
                "edition": "Commission",
            },
            "carving",
            "#c19a4b",
            cultural=True,
        ),
        SeedProduct(
            "CARD",
            "Art cards, set of six",
            "art-taonga",
            "Six blank cards printed from the artist's recent works, with "
            "envelopes, in a recycled card sleeve.",
            (v("SET", "set of six", 3200, 40, grams=180),),
            {
                "medium": "Giclée print on card",
                "dimensions": "148 × 105 mm",
                "edition": "Open edition",
            },
            "print",
            "#d46a4a",
        ),
        SeedProduct(
            "BOWL",
            "Uku bowl, kōkōwai glaze",
            "art-taonga",
            "A thrown stoneware bowl with a red-earth glaze, fired in Tauranga. "
            "Each one differs a little.",
            (v("1", "one bowl", 9500, 6, grams=700),),
            {
                "medium": "Stoneware (uku)",
                "dimensions": "180 mm across",
                "edition": "Small batch",
            },
            "bowl",
            "#a8452f",
        ),
    ),
    "beer": (
        _beer(
            "Pilsner", "PIL", "5.0", 650, "Crisp, dry and floral with NZ Motueka hops."
        ),
        _beer(
            "Hazy IPA",
            "HIPA",
            "6.5",
            850,
            "Juicy with Nelson Sauvin and Citra, soft and hazy.",
        ),
        _beer(
            "Pale Ale",
            "APA",
            "5.2",
            700,
            "Riwaka and Wai-iti hops over a biscuity malt base.",
        ),
        _beer(
            "Oyster Stout",
            "STT",
            "5.6",
            800,
            "Roasty, smooth and dark, with a hint of chocolate.",
        ),
        _beer(
            "Lager",
            "LAG",
            "4.6",
            600,
            "A clean, easy-drinking lager for summer afternoons.",
        ),
        _beer(
            "Sour",
            "SOUR",
            "4.2",
            900,
            "Kettle-soured with feijoa and lime, tart and refreshing.",
        ),
        _beer(
            "Porter",
            "POR",
            "5.8",
            800,
            "Coffee and caramel, brewed with local roasted barley.",
        ),
    ),
    "steel": (
        SeedProduct(
            "UB",
            "Universal beam 310UB40.4",
            "steel-fabrication",
            "Hot-rolled universal beam to AS/NZS 3679.1, cut to your length and "
            "primed on request. Sold per length.",
            (
                # Too heavy for any courier: the demo's freight on quote.
                v("6M", "6 m length", 98000, 8, grams=242400, freight=True),
                v("9M", "9 m length", 145000, 4, grams=363600, freight=True),
            ),
            {"grade": "300PLUS", "dimensions": "304 × 165 mm"},
            "steel",
            "#5a6470",
        ),
        SeedProduct(
            "PIPE",
            "Galvanised pipe 50NB medium",
            "steel-fabrication",
            "Hot-dip galvanised steel pipe, screwed and socketed or plain end.",
            (v("6M", "6.5 m length", 16500, 40, grams=33000),),
            {"grade": "C250", "dimensions": "60.3 mm OD × 3.6 mm wall"},
            "steel",
            "#8b95a0",
        ),
        SeedProduct(
            "BRG",
            "Pillow block bearing UCP205",
            "steel-fabrication",
            "A cast-iron pillow block with a 25 mm insert bearing, kept in stock "
            "for farm and plant repairs.",
            (v("1", "one bearing", 3900, 60, grams=800),),
            {"grade": "Cast iron housing", "dimensions": "25 mm bore"},
            "steel",
            "#4b5563",
        ),
        SeedProduct(
            "ANG",
            "Equal angle 50 × 50 × 5",
            "steel-fabrication",
            "Hot-rolled equal angle, sold by the 6 m length; cut to size in the "
            "workshop.",
            (v("6M", "6 m length", 8200, 80, grams=22000),),
            {"grade": "300PLUS", "dimensions": "50 × 50 × 5 mm"},
            "steel",
            "#6b7280",
        ),
        SeedProduct(
            "BASE",
            "Base plate, 250 × 250 × 16",
            "steel-fabrication",
            "Profile-cut base plate with four 22 mm holes, made to order from "
            "your drawing or ours.",
            (v("1", "one plate", 9800, 0, lead=10, grams=7800),),
            {"grade": "250", "dimensions": "250 × 250 × 16 mm"},
            "steel",
            "#374151",
        ),
        SeedProduct(
            "STR",
            "Steel stair stringer kit",
            "steel-fabrication",
            "Folded-plate stringers with welded tread brackets, galvanised, for "
            "a straight flight up to 3 m. Made to order.",
            (v("KIT", "kit for one flight", 185000, 0, lead=21, grams=120000),),
            {"grade": "250", "dimensions": "up to 3000 mm rise"},
            "steel",
            "#4b5563",
        ),
    ),
    "rongoa": (
        SeedProduct(
            "KWB",
            "Kawakawa balm",
            "natural-health",
            "A soft balm of kawakawa leaf infused in olive oil, with beeswax and "
            "a little mānuka honey. Gathered and made by hand.",
            (v("60", "60 ml tin", 2400, 60, grams=110),),
            {"ingredients": "Olive oil, kawakawa leaf, beeswax, mānuka honey"},
            "tin",
            "#3f6b3a",
        ),
        SeedProduct(
            "KWT",
            "Kawakawa leaf tea",
            "natural-health",
            "Dried kawakawa leaves, wild-harvested with permission and cut for "
            "tea. A peppery, green cup.",
            (v("50", "50 g pouch", 1600, 80, grams=60),),
            {"ingredients": "Kawakawa leaf"},
            "pouch",
            "#4d7c3a",
        ),
        SeedProduct(
            "MHY",
            "Mānuka honey UMF 10+",
            "honey",
            "Raw mānuka honey from hives on the family whenua, tested and "
            "certified by an independent laboratory.",
            (
                v("250", "250 g jar", 4500, 50, grams=380),
                v("500", "500 g jar", 7900, 30, grams=700),
            ),
            {"umf": "UMF 10+", "mgo": 263},
            "honey-jar",
            "#d9a22b",
            title_mi="Mīere mānuka UMF 10+",
        ),
        SeedProduct(
            "SOAP",
            "Horopito and mānuka soap",
            "natural-health",
            "A cold-process soap bar made with horopito leaf and mānuka oil, "
            "cured for six weeks.",
            (
                v("1", "one bar (100 g)", 1200, 100, grams=110),
                v("3", "three bars", 3200, 30, grams=330),
            ),
            {"ingredients": "Olive and coconut oils, horopito, mānuka oil"},
            "bar",
            "#8a6d3b",
        ),
        SeedProduct(
            "OIL",
            "Harakeke seed oil",
            "natural-health",
            "Cold-pressed from flax seed grown in Aotearoa; a light skin oil.",
            (v("30", "30 ml dropper", 2600, 40, grams=90),),
            {"ingredients": "Harakeke (flax) seed oil"},
            "oil-bottle",
            "#9a7b2f",
        ),
        SeedProduct(
            "TEA",
            "Kūmarahou and lemongrass tea",
            "natural-health",
            "A loose-leaf blend with a bright, grassy taste.",
            (v("50", "50 g pouch", 1500, 60, grams=60),),
            {"ingredients": "Kūmarahou leaf, lemongrass"},
            "pouch",
            "#7aa23f",
        ),
    ),
    "honey": (
        SeedProduct(
            "M5",
            "Mānuka honey UMF 5+",
            "honey",
            "Mānuka honey from hives in the South Waikato forests, creamed for "
            "spreading and independently tested.",
            (
                v("250", "250 g jar", 2900, 80, grams=380),
                v("500", "500 g jar", 4900, 50, grams=700),
            ),
            {"umf": "UMF 5+", "mgo": 83},
            "honey-jar",
            "#e0a82e",
        ),
        SeedProduct(
            "M15",
            "Mānuka honey UMF 15+",
            "honey",
            "Our strongest-tasting mānuka, from remote hives. Independently "
            "tested; the certificate comes with each jar.",
            (v("250", "250 g jar", 8900, 30, grams=380),),
            {"umf": "UMF 15+", "mgo": 514},
            "honey-jar",
            "#b9771d",
        ),
        SeedProduct(
            "REW",
            "Rewarewa honey",
            "honey",
            "A dark, malty honey from the flowers of the native honeysuckle.",
            (v("500", "500 g jar", 2200, 40, grams=700),),
            {},
            "honey-jar",
            "#7a4a1a",
        ),
        SeedProduct(
            "COMB",
            "Honeycomb frame",
            "honey",
            "A whole section of capped comb, cut from the frame and boxed.",
            (v("400", "about 400 g", 3200, 12, grams=450),),
            {},
            "box",
            "#f0c043",
        ),
    ),
    "woodwork": (
        SeedProduct(
            "BRD",
            "Rimu chopping board",
            "homeware-woodwork",
            "Cut from recovered rimu, oiled and ready for the kitchen.",
            (
                v("M", "medium (400 × 250 mm)", 8900, 12, grams=1600),
                v("L", "large (500 × 300 mm)", 12500, 8, grams=2400),
            ),
            {"timber": "Rimu", "dimensions": "400 × 250 × 30 mm"},
            "board",
            "#8a4b2a",
        ),
        SeedProduct(
            "BWL",
            "Turned macrocarpa bowl",
            "homeware-woodwork",
            "A salad bowl turned from local macrocarpa, finished with food-safe oil.",
            (v("1", "one bowl", 11500, 5, grams=900),),
            {"timber": "Macrocarpa", "dimensions": "280 mm across"},
            "bowl",
            "#b07a45",
        ),
        SeedProduct(
            "STL",
            "Pine step stool",
            "homeware-woodwork",
            "A sturdy two-step stool in kiln-dried radiata pine, made to order.",
            (v("1", "one stool", 16500, 0, lead=14, grams=5200),),
            {"timber": "Radiata pine", "dimensions": "450 × 400 × 380 mm"},
            "box",
            "#d2a870",
        ),
        SeedProduct(
            "SPN",
            "Kitchen spoon set",
            "homeware-woodwork",
            "Three hand-carved spoons in kānuka and beech.",
            (v("SET", "set of three", 5400, 20, grams=200),),
            {"timber": "Kānuka and beech"},
            "bar",
            "#9c6b3f",
        ),
    ),
    "pantry": (
        SeedProduct(
            "FEJ",
            "Feijoa and ginger chutney",
            "food-preserves",
            "Made in autumn from Wairarapa feijoas, with ginger and a little chilli.",
            (v("300", "300 g jar", 1100, 60, grams=480),),
            {},
            "jar",
            "#6f8f3a",
        ),
        SeedProduct(
            "PLM",
            "Black Doris plum jam",
            "food-preserves",
            "Small-batch jam from backyard Black Doris plums.",
            (v("300", "300 g jar", 1000, 60, grams=480),),
            {},
            "jar",
            "#5b1f3a",
        ),
        SeedProduct(
            "LEM",
            "Meyer lemon curd",
            "food-preserves",
            "Free-range eggs, butter and Meyer lemons; keep it in the fridge.",
            (v("250", "250 g jar", 1200, 30, grams=400),),
            {},
            "jar",
            "#f0d24a",
        ),
        SeedProduct(
            "BIS",
            "Afghan biscuits, box of eight",
            "food-preserves",
            "The New Zealand classic: cornflakes, cocoa, chocolate icing and a "
            "walnut on top.",
            (v("8", "box of eight", 1400, 24, grams=420),),
            {},
            "bowl",
            "#5a3a24",
        ),
        SeedProduct(
            "LOAF",
            "Sourdough loaf",
            "food-preserves",
            "A long-fermented white sourdough baked the morning it leaves.",
            (v("1", "one loaf", 900, 0, lead=1, grams=900),),
            {},
            "loaf",
            "#c8955a",
        ),
    ),
    "olives": (
        SeedProduct(
            "EVO",
            "Extra-virgin olive oil",
            "food-preserves",
            "Cold-pressed within hours of picking from our Martinborough grove.",
            (
                v("500", "500 ml", 3200, 60, grams=950),
                v("1L", "1 litre tin", 5600, 30, grams=1100),
            ),
            {},
            "oil-bottle",
            "#6b7d2a",
        ),
        SeedProduct(
            "TAP",
            "Olive tapenade",
            "food-preserves",
            "Our own olives with capers, lemon and garlic.",
            (v("180", "180 g jar", 1150, 40, grams=320),),
            {},
            "jar",
            "#3f3a24",
        ),
        SeedProduct(
            "TBL",
            "Table olives, brined",
            "food-preserves",
            "Hand-picked olives cured in brine for three months.",
            (v("350", "350 g jar", 1300, 40, grams=520),),
            {},
            "jar",
            "#556b2f",
        ),
    ),
    "coffee": (
        SeedProduct(
            "HSE",
            "House blend coffee beans",
            "food-preserves",
            "Roasted in Martinborough each week: chocolate and toffee, good with milk.",
            (
                v("250", "250 g bag", 1650, 80, grams=270),
                v("1KG", "1 kg bag", 5400, 20, grams=1050),
            ),
            {},
            "pouch",
            "#5a3a24",
        ),
        SeedProduct(
            "SO",
            "Single-origin coffee, Papua New Guinea",
            "food-preserves",
            "A lighter roast with berry and citrus; best as a filter.",
            (v("250", "250 g bag", 1850, 40, grams=270),),
            {},
            "pouch",
            "#7a4a2a",
        ),
        SeedProduct(
            "DCF",
            "Swiss-water decaf coffee",
            "food-preserves",
            "Decaffeinated with water only, roasted medium.",
            (v("250", "250 g bag", 1750, 40, grams=270),),
            {},
            "pouch",
            "#6b4a34",
        ),
    ),
    "linen": (
        SeedProduct(
            "APR",
            "Linen apron",
            "clothing-apparel",
            "A cross-back apron in stone-washed linen, sewn in Featherston.",
            (v("OS", "one size", 6900, 20, grams=300),),
            {"material": "Linen"},
            "textile",
            "#b9a88a",
        ),
        SeedProduct(
            "SHT",
            "Linen shirt",
            "clothing-apparel",
            "A relaxed shirt in washed linen with shell buttons.",
            (
                v("S", "small", 14900, 6, grams=250),
                v("M", "medium", 14900, 8, grams=260),
                v("L", "large", 14900, 6, grams=270),
            ),
            {"material": "Linen"},
            "textile",
            "#8a9cb0",
        ),
        SeedProduct(
            "TEE",
            "Screen-printed T-shirt",
            "clothing-apparel",
            "Organic cotton tee printed by hand with a local design.",
            (
                v("S", "small", 4500, 15, grams=180),
                v("M", "medium", 4500, 20, grams=190),
                v("L", "large", 4500, 15, grams=200),
            ),
            {"material": "Organic cotton"},
            "textile",
            "#3b6e8f",
        ),
        SeedProduct(
            "TT",
            "Linen tea towels, pair",
            "clothing-apparel",
            "Two tea towels in heavy linen, hemmed by hand.",
            (v("2", "pair", 3800, 30, grams=200),),
            {"material": "Linen"},
            "textile",
            "#c9b99a",
        ),
    ),
    "natives": (
        SeedProduct(
            "KWK",
            "Kawakawa plant",
            "other",
            "A hardy native shrub with heart-shaped leaves, grown from local "
            "seed in a 1 litre pot.",
            (v("1L", "1 litre pot", 1400, 50, grams=1200),),
            {},
            "plant",
            "#3f7a34",
        ),
        SeedProduct(
            "HRK",
            "Harakeke (flax) plant",
            "other",
            "Phormium tenax grown from Wairarapa seed; good for shelter and "
            "for weavers.",
            (v("2L", "2 litre pot", 1800, 40, grams=2200),),
            {},
            "plant",
            "#556b2f",
        ),
        SeedProduct(
            "KWH",
            "Kōwhai tree",
            "other",
            "Sophora microphylla, a tūī favourite, about 60 cm tall.",
            (v("3L", "3 litre pot", 2900, 25, grams=3200),),
            {},
            "plant",
            "#d4b21f",
        ),
        SeedProduct(
            "HEB",
            "Hebe hedge pack",
            "other",
            "Ten koromiko plants for a low hedge.",
            (v("10", "ten plants", 9500, 10, grams=6000),),
            {},
            "plant",
            "#6a5aa0",
        ),
    ),
    "pottery": (
        SeedProduct(
            "MUG",
            "Stoneware mug",
            "homeware-woodwork",
            "Thrown on the wheel at Cape Palliser and glazed in sea-green; holds "
            "a generous flat white. Dishwasher safe.",
            (v("1", "one mug", 4200, 24, grams=420),),
            {"dimensions": "95 mm tall"},
            "mug",
            "#5f8f86",
        ),
        SeedProduct(
            "PLT",
            "Dinner plates, set of four",
            "homeware-woodwork",
            "Wide stoneware plates with a speckled oatmeal glaze.",
            (v("4", "set of four", 16800, 6, grams=3200),),
            {"dimensions": "270 mm across"},
            "plates",
            "#b8a27a",
        ),
        SeedProduct(
            "VAS",
            "Bud vase",
            "homeware-woodwork",
            "A small vase for a few garden stems, each glazed a little differently.",
            (v("1", "one vase", 3800, 18, grams=300),),
            {"dimensions": "140 mm tall"},
            "vase",
            "#3f6f8a",
        ),
    ),
    "tivaevae": (
        SeedProduct(
            "TAO",
            "Tīvaevae tataura cushion cover",
            "homeware-woodwork",
            "Hand-stitched appliqué and embroidery in the Cook Islands tradition, "
            "sewn by our mamas in Tokoroa.",
            (v("1", "one cover", 12500, 6, grams=300),),
            {"dimensions": "450 × 450 mm"},
            "tivaevae",
            "#c2185b",
        ),
        SeedProduct(
            "MNU",
            "Tīvaevae manu quilt",
            "homeware-woodwork",
            "A queen-size quilt with a cut-out flower design, made to order over "
            "several months.",
            (v("Q", "queen size", 180000, 0, lead=120, grams=2600),),
            {"dimensions": "2300 × 2300 mm"},
            "tivaevae",
            "#e65100",
        ),
        SeedProduct(
            "EI",
            "Ei katu flower crown",
            "clothing-apparel",
            "A fabric flower crown for celebrations, in the colours you choose.",
            (v("1", "one crown", 4500, 0, lead=7, grams=80),),
            {"material": "Cotton and silk flowers"},
            "tivaevae",
            "#f06292",
        ),
    ),
    "silver": (
        SeedProduct(
            "PAU",
            "Silver and pāua pendant",
            "art-taonga",
            "Sterling silver set with pāua shell from the Wairarapa coast, on a "
            "fine chain.",
            (v("1", "one pendant", 14500, 8, grams=20),),
            {"medium": "Sterling silver and pāua", "edition": "Small batch"},
            "pendant",
            "#2a7f8f",
        ),
        SeedProduct(
            "RNG",
            "Hammered silver ring",
            "art-taonga",
            "A wide band, hammered by hand; made to your size.",
            (v("1", "one ring", 12000, 0, lead=14, grams=15),),
            {"medium": "Sterling silver", "edition": "Made to order"},
            "pendant",
            "#9aa5b1",
        ),
        SeedProduct(
            "EAR",
            "Driftwood-cast earrings",
            "art-taonga",
            "Cast from pieces of Tora driftwood in recycled silver.",
            (v("1", "one pair", 9500, 10, grams=10),),
            {"medium": "Recycled silver", "edition": "Small batch"},
            "pendant",
            "#8c969e",
        ),
    ),
}

# Members whose trade differs from their cluster's usual one.
MEMBER_KINDS: dict[str, str] = {
    "awanui-smokehouse": "smokehouse",
    "omokoroa-cold-press": "avocado-oil",
    "kumara-crisp-co": "kumara-crisps",
    "hunter-hills-sprouts": "seeds",
    "the-square-pantry": "pantry",
    "greytown-woodturning": "woodwork",
    "remutaka-linen": "linen",
    "waiohine-natives": "natives",
    "huangarua-olives": "olives",
    "fair-ground-coffee": "coffee",
    "palliser-bay-pottery": "pottery",
    "wairarapa-dumpling-co": "pantry",
    "tora-coast-silver": "silver",
    "tokoroa-joinery": "woodwork",
    "pine-town-bakehouse": "pantry",
    "tiare-tivaevae": "tivaevae",
    "pine-ridge-honey": "honey",
    "kotare-carving": "art",
    "forest-city-print": "linen",
    "mill-town-engineering": "steel",
    "roundabout-cafe": "pantry",
}

# The usual trade of each seed cluster's members.
CLUSTER_KINDS: dict[str, str] = {
    "marlborough-wine": "wine",
    "te-hiku-oysters": "oysters",
    "bay-of-plenty-avocados": "avocados",
    "kaipara-kumara": "kumara",
    "south-canterbury-small-seeds": "seeds",
    "te-tauranga-toi": "art",
    "aotearoa-craft-beer": "beer",
    "nz-steel-fabricators": "steel",
    "rongoa-natural-health": "rongoa",
    "martinborough-fair": "pantry",
    "tokoroa-makers": "woodwork",
}

# Background colours of the generated photos, one per kind.
BACKGROUNDS: dict[str, str] = {
    "wine": "#f3ead8",
    "oysters": "#dfe9ec",
    "smokehouse": "#f1e4d2",
    "avocados": "#eef3df",
    "avocado-oil": "#f4f1dc",
    "kumara": "#f6e8dc",
    "kumara-crisps": "#fbecd6",
    "seeds": "#f2eedf",
    "art": "#efe6da",
    "beer": "#e6eef3",
    "steel": "#e4e7ea",
    "rongoa": "#e8f0e2",
    "honey": "#fbf1d8",
    "woodwork": "#f1e6d8",
    "pantry": "#f8eee0",
    "olives": "#eef0dc",
    "coffee": "#efe4da",
    "linen": "#eeece6",
    "natives": "#e6f0e0",
    "pottery": "#eef1ee",
    "tivaevae": "#fff4e6",
    "silver": "#eaf1f3",
}
