"""The demo's member businesses: 4 to 12 for each seed cluster, with their stories.

Every business, person and number here is fictional. The places, crops, crafts and
regulators are real; the names are not, and no real person is meant. E-mail
addresses and websites use ``example.nz`` (reserved for examples), phone numbers use
the 555 exchange, and the NZBN, GST (IRD) numbers and bank accounts are made up but
pass their check-digit rules (domain-nz.md §3), so forms accept them.

Credential expiry dates are written relative to the current year (``Expiry``), so a
demo seeded next year still shows current licences as current; one liquor licence
has lapsed on purpose, to show that a lapsed credential stops showing as verified.
"""

from __future__ import annotations

from dataclasses import dataclass

from purei.accounts.models import MemberRole
from purei.members.models import Credential, Membership

Kind = Credential.Kind
Verification = Credential.Verification
Status = Membership.Status

# (years from the current year, month, day): (1, 6, 30) is 30 June next year.
Expiry = tuple[int, int, int]


@dataclass(frozen=True)
class SeedCredential:
    kind: Credential.Kind
    issuer: str
    number: str
    expires: Expiry | None = None
    verification: Credential.Verification = Verification.VERIFIED
    name: str = ""


@dataclass(frozen=True)
class SeedMembership:
    cluster: str
    status: Membership.Status
    applied_on: str  # ISO date
    decided_on: str | None = None  # ISO date; None while applied
    reason: str = ""


@dataclass(frozen=True)
class SeedMember:
    slug: str
    legal_name: str
    trading_name: str
    nzbn: str
    gst_number: str  # "" when not registered for GST
    region: str  # ISO 3166-2:NZ code
    town: str
    latitude: str  # decimal degrees, 6 places
    longitude: str
    contact_name: str
    phone: str
    bank_account: str
    story: str
    memberships: tuple[SeedMembership, ...]
    credentials: tuple[SeedCredential, ...] = ()
    email_local: str = "hello"

    @property
    def gst_registered(self) -> bool:
        return bool(self.gst_number)

    @property
    def email(self) -> str:
        return f"{self.email_local}@{self.slug}.example.nz"

    @property
    def website(self) -> str:
        return f"https://{self.slug}.example.nz"


@dataclass(frozen=True)
class SeedLogin:
    """A demo login: a cluster admin, or the owner or staff of a member business."""

    email: str
    full_name: str
    cluster: str  # the cluster it is printed under
    member: str = ""  # member slug, for owner and staff logins
    member_role: MemberRole.Role | None = None


# --- Building blocks -----------------------------------------------------------


def _paragraph(text: str) -> str:
    """One Markdown paragraph from an indented triple-quoted string.

    A paragraph whose lines start with "- " is a list: one item per line, with the
    item's continuation lines joined on.
    """
    lines = [line.strip() for line in text.strip().splitlines()]
    if lines and lines[0].startswith("- "):
        items: list[str] = []
        for line in lines:
            if line.startswith("- ") or not items:
                items.append(line)
            else:
                items[-1] = f"{items[-1]} {line}"
        return "\n".join(items)
    return " ".join(" ".join(lines).split())


def _md(*paragraphs: str) -> str:
    return "\n\n".join(_paragraph(p) for p in paragraphs)


def approved(
    cluster: str, applied_on: str, decided_on: str | None = None
) -> SeedMembership:
    return SeedMembership(
        cluster, Status.APPROVED, applied_on, decided_on or applied_on
    )


def applied(cluster: str, applied_on: str) -> SeedMembership:
    return SeedMembership(cluster, Status.APPLIED, applied_on)


def suspended(
    cluster: str, applied_on: str, suspended_on: str, reason: str
) -> SeedMembership:
    return SeedMembership(cluster, Status.SUSPENDED, applied_on, suspended_on, reason)


def liquor(
    committee: str,
    number: str,
    expires: Expiry,
    verification: Credential.Verification = Verification.VERIFIED,
) -> SeedCredential:
    return SeedCredential(
        Kind.LIQUOR_LICENCE,
        f"{committee} District Licensing Committee",
        number,
        expires,
        verification,
    )


def wine_standards(
    number: str, verification: Credential.Verification = Verification.VERIFIED
) -> SeedCredential:
    return SeedCredential(
        Kind.WINE_STANDARDS,
        "Ministry for Primary Industries",
        number,
        None,
        verification,
    )


def food_act(
    issuer: str,
    number: str,
    expires: Expiry,
    verification: Credential.Verification = Verification.VERIFIED,
) -> SeedCredential:
    return SeedCredential(Kind.FOOD_ACT, issuer, number, expires, verification)


ORGANIC_CERTIFIER = "Organic Aotearoa Certification"  # fictional


def organic(
    number: str,
    expires: Expiry,
    verification: Credential.Verification = Verification.VERIFIED,
) -> SeedCredential:
    return SeedCredential(
        Kind.ORGANIC, ORGANIC_CERTIFIER, number, expires, verification
    )


TOI_IHO_ISSUER = "Toi Iho Kaitiaki Inc."  # fictional stand-in for the marks' holder


def toi_iho(
    mark: str,
    number: str,
    expires: Expiry,
    verification: Credential.Verification = Verification.VERIFIED,
) -> SeedCredential:
    return SeedCredential(
        Kind.TOI_IHO, TOI_IHO_ISSUER, number, expires, verification, name=mark
    )


def animal_products_rmp(number: str, expires: Expiry) -> SeedCredential:
    return SeedCredential(
        Kind.OTHER,
        "Ministry for Primary Industries",
        number,
        expires,
        name="Risk management programme (Animal Products Act 1999)",
    )


def steel_certificate(number: str, category: str, expires: Expiry) -> SeedCredential:
    return SeedCredential(
        Kind.OTHER,
        "Steelwork Fabrication Register",  # fictional
        number,
        expires,
        name=f"AS/NZS 5131 fabrication certificate, construction category {category}",
    )


MAORI_MADE = "Māori Made"
LICENSED_STOCKIST = "Licensed Stockist"
SWDC = "South Wairarapa District Council"


# --- Marlborough Wine ------------------------------------------------------------

MARLBOROUGH = "marlborough-wine"
MARLBOROUGH_MEMBERS: tuple[SeedMember, ...] = (
    SeedMember(
        slug="wairau-terrace-wines",
        legal_name="Wairau Terrace Wines Limited",
        trading_name="Wairau Terrace",
        nzbn="9429006420642",
        gst_number="133675108",
        region="NZ-MBH",
        town="Renwick",
        latitude="-41.508500",
        longitude="173.828200",
        contact_name="Sarah McAllister",
        phone="03 555 0142",
        bank_account="38-9099-0655541-25",
        email_local="cellardoor",
        story=_md(
            """Wairau Terrace is twelve hectares of vines on an old river terrace west
            of Renwick, planted by Sarah McAllister's parents in 1991 when the block
            was still sheep paddocks. The soils are shallow and stony, laid down by
            the Wairau River, and they keep the vines' crop small and the flavours
            concentrated.""",
            """We grow **Sauvignon Blanc**, **Pinot Gris** and a little Pinot Noir,
            pick by hand where the rows allow it, and make every wine in our own
            small winery. Sarah makes the wine; her brother Tom looks after the
            vineyard and the cellar door.""",
            """The cellar door is open from Labour Weekend to Easter, Thursday to
            Sunday. Through the cluster you can order our wines with our neighbours'
            from up and down the valley, and pay once.""",
        ),
        memberships=(approved(MARLBOROUGH, "2025-02-03", "2025-02-07"),),
        credentials=(
            liquor("Marlborough", "51/OFF/012/2025", (2, 3, 31)),
            wine_standards("WSMP 1147"),
        ),
    ),
    SeedMember(
        slug="kowhai-flat-vineyard",
        legal_name="Kōwhai Flat Vineyard Limited",
        trading_name="Kōwhai Flat",
        nzbn="9429081690992",
        gst_number="117002993",
        region="NZ-MBH",
        town="Rapaura",
        latitude="-41.469000",
        longitude="173.885000",
        contact_name="Daniel Ferreira",
        phone="03 555 0178",
        bank_account="38-9475-0713443-00",
        story=_md(
            """Kōwhai Flat sits on the free-draining gravels of Rapaura, on the north
            side of the Wairau plains, where the kōwhai trees along the boundary
            flower gold every September just as the vines wake up.""",
            """Daniel and Inês Ferreira have farmed the vineyard organically since
            2012: no herbicides, sheep grazing between the rows in winter, and
            native plantings along the drains to bring back the birds and insects.
            Their Sauvignon Blanc is fermented partly in old barrels for a rounder,
            softer wine, and their dry Riesling ages beautifully.""",
        ),
        memberships=(approved(MARLBOROUGH, "2025-02-05", "2025-02-07"),),
        credentials=(
            liquor("Marlborough", "51/OFF/027/2024", (1, 9, 30)),
            wine_standards("WSMP 1283"),
            organic("OAC-2041", (1, 6, 30)),
        ),
    ),
    SeedMember(
        slug="omaka-downs-estate",
        legal_name="Omaka Downs Estate Limited",
        trading_name="Omaka Downs",
        nzbn="9429005763993",
        gst_number="19288145",
        region="NZ-MBH",
        town="Fairhall",
        latitude="-41.542000",
        longitude="173.903000",
        contact_name="Anna Lindqvist",
        phone="03 555 0119",
        bank_account="01-1820-0392497-01",
        story=_md(
            """In the Southern Valleys, south of Blenheim, the vines climb north-facing
            clay slopes that hold water through the dry Marlborough summer. Omaka
            Downs planted them for **Pinot Noir** and **Chardonnay**, grapes that
            like a cooler, slower season than Sauvignon Blanc.""",
            """Winemaker Anna Lindqvist came to Marlborough for one vintage in 2009
            and stayed. She ferments the Pinot Noir in small open vats, plunged by
            hand, and leaves it in French oak for a year before bottling.""",
            """We make about two thousand cases a year, most of them sold to people
            who have visited us. The cluster is how the rest of the country, and
            our friends in Australia, can order them too.""",
        ),
        memberships=(approved(MARLBOROUGH, "2025-02-10", "2025-02-14"),),
        credentials=(
            liquor("Marlborough", "51/OFF/033/2024", (1, 11, 30)),
            wine_standards("WSMP 1302"),
        ),
    ),
    SeedMember(
        slug="seddon-ridge-wines",
        legal_name="Seddon Ridge Wines Limited",
        trading_name="Seddon Ridge",
        nzbn="9429044004590",
        gst_number="35649573",
        region="NZ-MBH",
        town="Seddon",
        latitude="-41.671700",
        longitude="174.073100",
        contact_name="Hamish Drummond",
        phone="03 555 0163",
        bank_account="02-0567-0799087-01",
        story=_md(
            """The Awatere Valley is higher, drier and windier than the Wairau, and it
            shows in the glass: our Sauvignon Blanc is lean and salty, with more
            tomato leaf and fresh herbs than tropical fruit.""",
            """The Drummond family has farmed sheep on the ridge above Seddon for four
            generations. Hamish planted the first vines in 2004, on the terraces
            sheltered from the southerly, and the sheep still graze the vineyard in
            winter.""",
            """Besides Sauvignon Blanc we make a Pinot Gris and a small amount of
            Pinot Noir from the highest block, which is often the last in the
            valley to be picked.""",
        ),
        memberships=(approved(MARLBOROUGH, "2025-02-12", "2025-02-14"),),
        credentials=(
            liquor("Marlborough", "51/OFF/041/2025", (2, 5, 31)),
            wine_standards("WSMP 1316"),
        ),
    ),
    SeedMember(
        slug="black-birch-cellars",
        legal_name="Black Birch Cellars Limited",
        trading_name="Black Birch",
        nzbn="9429016430259",
        gst_number="118144910",
        region="NZ-MBH",
        town="Ward",
        latitude="-41.828300",
        longitude="174.133600",
        contact_name="Leah Carmody",
        phone="03 555 0187",
        bank_account="02-0518-0432959-00",
        story=_md(
            """Black Birch is the last vineyard before the sea, a few kilometres from
            the coast at Ward. Cold winds off Cook Strait keep the grapes small and
            their skins thick, and the wines have a brightness that visitors often
            describe as 'coastal'.""",
            """Leah Carmody and her partner grow **Grüner Veltliner**, Pinot Gris and
            Gewürztraminer, the aromatic whites that suit the cool site. The 2016
            Kaikōura earthquake lifted parts of the coast here by more than a metre;
            the vines, and the people, came through it.""",
        ),
        memberships=(approved(MARLBOROUGH, "2025-03-01", "2025-03-04"),),
        credentials=(
            liquor("Marlborough", "51/OFF/058/2024", (1, 8, 31)),
            wine_standards("WSMP 1329"),
        ),
    ),
    SeedMember(
        slug="riverbend-aromatics",
        legal_name="Riverbend Aromatics Limited",
        trading_name="Riverbend Aromatics",
        nzbn="9429023596429",
        gst_number="34460981",
        region="NZ-MBH",
        town="Spring Creek",
        latitude="-41.461700",
        longitude="173.963600",
        contact_name="Ruth Pearson",
        phone="03 555 0135",
        bank_account="03-1720-0508608-01",
        story=_md(
            """Near the mouth of the Wairau, where the river bends towards the sea at
            Spring Creek, the Pearsons grow Riesling and Gewürztraminer on a
            six-hectare block their grandfather used for apples.""",
            """Ruth Pearson makes them in every style from bone dry to a late-harvest
            Riesling picked in May, sweet and luscious, in half bottles. Our wines:
            """,
            """- **Dry Riesling**: citrus and wet stone, for food.
            - **Off-dry Gewürztraminer**: rose petals and ginger, for spicy dishes.
            - **Late Harvest Riesling**: honey and apricot, in 375 ml bottles.""",
        ),
        memberships=(approved(MARLBOROUGH, "2025-03-08", "2025-03-12"),),
        credentials=(
            liquor("Marlborough", "51/OFF/064/2025", (2, 2, 28)),
            wine_standards("WSMP 1340"),
        ),
    ),
    SeedMember(
        slug="schist-and-stone-wines",
        legal_name="Waihopai Schist Wines Limited",
        trading_name="Schist & Stone",
        nzbn="9429049799545",
        gst_number="60754039",
        region="NZ-MBH",
        town="Renwick",
        latitude="-41.520000",
        longitude="173.810000",
        contact_name="Kate Olsen",
        phone="03 555 0156",
        bank_account="11-7812-0129186-25",
        story=_md(
            """Up the Waihopai Valley, south-west of Renwick, the river has cut through
            layers of schist and greywacke, and the vines grow in soils full of the
            broken stone. Kate Olsen and her husband bought the block in 2015, after
            ten years making wine for bigger companies.""",
            """They make single-vineyard Pinot Noir and Chardonnay in very small
            batches, with wild yeasts and little intervention. Each label names the
            row the grapes came from.""",
        ),
        memberships=(approved(MARLBOROUGH, "2025-04-02", "2025-04-08"),),
        credentials=(
            liquor("Marlborough", "51/OFF/071/2025", (2, 4, 30)),
            wine_standards("WSMP 1355"),
        ),
    ),
    SeedMember(
        slug="estuary-lane-wines",
        legal_name="Estuary Lane Wines Limited",
        trading_name="Estuary Lane",
        nzbn="9429002275727",
        gst_number="58849820",
        region="NZ-MBH",
        town="Blenheim",
        latitude="-41.513400",
        longitude="173.961200",
        contact_name="Peter van Dijk",
        phone="03 555 0124",
        bank_account="38-9222-0271042-00",
        story=_md(
            """Estuary Lane is a new label from Peter van Dijk, who grew up on a dairy
            farm near Blenheim and spent ten vintages in the Netherlands, Germany
            and Oregon before coming home.""",
            """He buys grapes from two growers near the Ōpaoa River and makes
            small-batch Sauvignon Blanc and a sparkling pét-nat, bottled before the
            first fermentation finishes so the wine makes its own bubbles.""",
        ),
        memberships=(applied(MARLBOROUGH, "2026-11-18"),),
        credentials=(
            liquor(
                "Marlborough",
                "51/OFF/103/2026",
                (1, 10, 31),
                Verification.PENDING,
            ),
            wine_standards("WSMP 1412", Verification.PENDING),
        ),
    ),
)


# --- Te Hiku Oysters -------------------------------------------------------------

TE_HIKU = "te-hiku-oysters"
TE_HIKU_MEMBERS: tuple[SeedMember, ...] = (
    SeedMember(
        slug="parengarenga-oysters",
        legal_name="Parengarenga Oyster Company Limited",
        trading_name="Parengarenga Oysters",
        nzbn="9429034073902",
        gst_number="94195977",
        region="NZ-NTL",
        town="Te Hāpua",
        latitude="-34.413300",
        longitude="172.920000",
        contact_name="Tania Murray",
        phone="09 555 0171",
        bank_account="06-1473-0224252-00",
        story=_md(
            """Parengarenga is the northernmost harbour in the country, a wide, clear
            tidal basin ringed by white silica sand. Our whānau has lived beside it
            for generations, and has farmed Pacific oysters on its intertidal racks
            since the 1980s.""",
            """The water is among the cleanest in Aotearoa, and the oysters grow
            slowly, plump and briny. We harvest by boat at low tide, grade and clean
            them in our shed at Te Hāpua, and send them south the same day.""",
            """When heavy rain closes the harbour we stop harvesting until the tests
            come back clear. Your order simply moves to the next harvest day.""",
        ),
        memberships=(approved(TE_HIKU, "2025-01-20", "2025-01-24"),),
        credentials=(animal_products_rmp("RMP-NTL-0412", (1, 12, 31)),),
    ),
    SeedMember(
        slug="houhora-heads-oysters",
        legal_name="Houhora Heads Oysters Limited",
        trading_name="Houhora Heads",
        nzbn="9429043380381",
        gst_number="77358188",
        region="NZ-NTL",
        town="Pukenui",
        latitude="-34.816700",
        longitude="173.116700",
        contact_name="Craig Dunlop",
        phone="09 555 0148",
        bank_account="02-1218-0794696-02",
        story=_md(
            """Houhora Harbour opens to the sea between Mount Camel and the heads, and
            our racks sit just inside, where the tide runs strongest. Craig and
            Michelle Dunlop bought the farm in 2003 and built a shucking shed on the
            wharf road at Pukenui.""",
            """Besides live oysters in the shell, we open oysters by hand and pack
            them on the half shell or in pottles, for customers who would rather
            not wield the knife. Every pottle is dated and chilled straight away.""",
        ),
        memberships=(approved(TE_HIKU, "2025-01-22", "2025-01-24"),),
        credentials=(animal_products_rmp("RMP-NTL-0389", (1, 9, 30)),),
    ),
    SeedMember(
        slug="rangaunu-rock-oysters",
        legal_name="Rangaunu Bay Shellfish Limited",
        trading_name="Rangaunu Rock Oysters",
        nzbn="9429090386848",
        gst_number="92721671",
        region="NZ-NTL",
        town="Rangiputa",
        latitude="-34.900000",
        longitude="173.330000",
        contact_name="Jade Wallace",
        phone="09 555 0193",
        bank_account="02-1210-0190150-25",
        story=_md(
            """On the eastern shore of Rangaunu Harbour we grow the **native rock
            oyster**, which settled on these rocks long before anyone farmed them.
            It grows more slowly than the Pacific oyster and stays smaller, with a
            sweet, mineral taste that chefs love.""",
            """We collect wild spat on sticks in the harbour each summer and grow the
            oysters on for two to three years. Supply is small and seasonal, so the
            cluster lets you pre-order for the next harvest.""",
        ),
        memberships=(approved(TE_HIKU, "2025-02-03", "2025-02-06"),),
    ),
    SeedMember(
        slug="awanui-smokehouse",
        legal_name="Awanui Smokehouse Limited",
        trading_name="Awanui Smokehouse",
        nzbn="9429001489187",
        gst_number="77510575",
        region="NZ-NTL",
        town="Awanui",
        latitude="-35.048300",
        longitude="173.258300",
        contact_name="Glen Harding",
        phone="09 555 0137",
        bank_account="11-5804-0437980-00",
        story=_md(
            """Awanui Smokehouse buys oysters from its neighbours around Rangaunu and
            Houhora, opens them, and smokes them over mānuka sawdust in a brick
            smoker Glen Harding built behind the old dairy factory.""",
            """The smoked oysters are packed in olive oil in small jars that keep in
            the pantry, which makes them the cluster's favourite gift to send
            overseas. We also smoke mullet and kahawai when the fishers bring them
            in.""",
        ),
        memberships=(approved(TE_HIKU, "2025-02-14", "2025-02-20"),),
        credentials=(animal_products_rmp("RMP-NTL-0455", (2, 3, 31)),),
    ),
    SeedMember(
        slug="unahi-tidal-oysters",
        legal_name="M and K Doherty",
        trading_name="Unahi Tidal Oysters",
        nzbn="9429055007658",
        gst_number="",
        region="NZ-NTL",
        town="Unahi",
        latitude="-35.000000",
        longitude="173.270000",
        contact_name="Kerry Doherty",
        phone="021 555 0166",
        bank_account="12-3446-0598100-00",
        story=_md(
            """Unahi Tidal Oysters is one couple and two hectares of racks near the
            old Unahi wharf. Kerry and Mike Doherty farm part-time and sell most of
            what they grow at the gate and at the Kaitāia market.""",
            """Small as we are, everything is harvested to order and opened by one
            of us, and we are happy to tell you which rack your oysters came
            from.""",
        ),
        memberships=(approved(TE_HIKU, "2025-05-05", "2025-05-09"),),
    ),
    SeedMember(
        slug="kokota-oysters",
        legal_name="Kōkota Spit Oysters Limited",
        trading_name="Kōkota Oysters",
        nzbn="9429072111369",
        gst_number="112775811",
        region="NZ-NTL",
        town="Te Kao",
        latitude="-34.650000",
        longitude="172.966700",
        contact_name="Anaru Clarke",
        phone="09 555 0114",
        bank_account="12-3014-0467844-25",
        story=_md(
            """Kōkota Oysters is a new whānau venture on the southern side of
            Parengarenga Harbour, near Te Kao, with the first racks planted in
            2024.""",
            """The first Pacific oysters reach market size this summer, and we have
            applied to join the cluster so that they can travel south with our
            neighbours' in the same chilled boxes.""",
        ),
        memberships=(applied(TE_HIKU, "2026-11-20"),),
    ),
)


# --- Bay of Plenty Avocados ------------------------------------------------------

AVOCADOS = "bay-of-plenty-avocados"
AVOCADO_MEMBERS: tuple[SeedMember, ...] = (
    SeedMember(
        slug="kaimai-view-avocados",
        legal_name="Kaimai View Orchard Limited",
        trading_name="Kaimai View Avocados",
        nzbn="9429027087190",
        gst_number="123672259",
        region="NZ-BOP",
        town="Katikati",
        latitude="-37.550000",
        longitude="175.916700",
        contact_name="Rob Henderson",
        phone="07 555 0152",
        bank_account="06-0394-0562056-00",
        story=_md(
            """Kaimai View is a fifteen-hectare orchard on the rolling country behind
            Katikati, looking west to the bush-clad Kaimai Range. Rob and Sue
            Henderson planted their first Hass trees in 1998, and now grow a few
            rows of the early-season Reed as well.""",
            """Avocados only ripen once they are picked, so ours leave the orchard
            firm and soften on your bench in four to seven days. We pack every tray
            ourselves and put a note in it telling you how to tell when they are
            ready.""",
        ),
        memberships=(approved(AVOCADOS, "2025-03-03", "2025-03-06"),),
    ),
    SeedMember(
        slug="aongatete-avocados",
        legal_name="Aongatete Orchards Limited",
        trading_name="Aongatete Avocados",
        nzbn="9429092030152",
        gst_number="112672036",
        region="NZ-BOP",
        town="Aongatete",
        latitude="-37.616700",
        longitude="175.933300",
        contact_name="Mei Lin Chen",
        phone="07 555 0128",
        bank_account="03-1371-0661662-02",
        story=_md(
            """Mei Lin Chen's family bought the Aongatete orchard in 2006, when it was
            half kiwifruit and half rough pasture. Today it is twenty hectares of
            Hass avocados, sheltered by tall rows of poplar and casuarina.""",
            """Most of our crop is exported, but a good share of perfectly good fruit
            is too big, too small or a little marked for the export grade. Selling
            it directly through the cluster means it gets eaten instead of
            wasted.""",
        ),
        memberships=(approved(AVOCADOS, "2025-03-03", "2025-03-06"),),
    ),
    SeedMember(
        slug="no-3-road-avocados",
        legal_name="No. 3 Road Orchard Limited",
        trading_name="No. 3 Road Avocados",
        nzbn="9429019077437",
        gst_number="43238949",
        region="NZ-BOP",
        town="Te Puke",
        latitude="-37.783300",
        longitude="176.316700",
        contact_name="Harpreet Sandhu",
        phone="07 555 0109",
        bank_account="38-9342-0762401-00",
        story=_md(
            """The Sandhu family came to Te Puke to work in the kiwifruit packhouses
            in the 1990s, saved hard, and bought their own orchard on No. 3 Road in
            2011. Harpreet runs it with his parents and his sister.""",
            """We grow avocados alongside gold kiwifruit, and the trees get the same
            careful attention: hand-picked, graded by eye and packed in our own
            shed. Ask us about trays of mixed sizes for cafés.""",
        ),
        memberships=(approved(AVOCADOS, "2025-03-10", "2025-03-13"),),
    ),
    SeedMember(
        slug="paengaroa-organics",
        legal_name="Paengaroa Organics Limited",
        trading_name="Paengaroa Organics",
        nzbn="9429028748014",
        gst_number="90812947",
        region="NZ-BOP",
        town="Paengaroa",
        latitude="-37.816700",
        longitude="176.416700",
        contact_name="Ben Whitaker",
        phone="07 555 0184",
        bank_account="02-0790-0576919-01",
        story=_md(
            """Paengaroa Organics has grown certified organic avocados since 2008. We
            feed the trees with compost and mulch, keep chickens under them to deal
            with the insects, and leave the grass long between the rows.""",
            """Organic fruit is often smaller and less even than conventional, but it
            tastes just as good, and every tray carries our certification number so
            you can check it.""",
        ),
        memberships=(approved(AVOCADOS, "2025-03-12", "2025-03-13"),),
        credentials=(organic("OAC-1187", (1, 8, 31)),),
    ),
    SeedMember(
        slug="omokoroa-cold-press",
        legal_name="Ōmokoroa Cold Press Limited",
        trading_name="Ōmokoroa Cold Press",
        nzbn="9429003258620",
        gst_number="37693448",
        region="NZ-BOP",
        town="Ōmokoroa",
        latitude="-37.650000",
        longitude="176.033300",
        contact_name="Lisa Kerr",
        phone="07 555 0161",
        bank_account="38-9211-0808772-01",
        story=_md(
            """Ōmokoroa Cold Press turns avocados that are too marked to sell whole
            into **cold-pressed avocado oil**. Lisa Kerr buys the fruit from the
            cluster's orchards, presses it in small batches and bottles the oil in
            dark glass to keep it green and fresh.""",
            """The oil is good for cooking at high heat and even better drizzled over
            bread. The pulp left after pressing goes back to the orchards as
            compost.""",
        ),
        memberships=(approved(AVOCADOS, "2025-04-01", "2025-04-04"),),
        credentials=(
            food_act(
                "Western Bay of Plenty District Council",
                "FCP/WBOP/2025/0317",
                (1, 5, 31),
            ),
        ),
    ),
    SeedMember(
        slug="pongakawa-family-orchard",
        legal_name="G and T Aldridge",
        trading_name="Pongakawa Family Orchard",
        nzbn="9429074069354",
        gst_number="56183736",
        region="NZ-BOP",
        town="Pongakawa",
        latitude="-37.820000",
        longitude="176.480000",
        contact_name="Grace Aldridge",
        phone="027 555 0140",
        bank_account="03-1935-0279822-00",
        story=_md(
            """Grace and Tom Aldridge grow avocados on four hectares at Pongakawa,
            between the Kaituna and the sea. It is a small orchard by Bay of Plenty
            standards, and they do almost everything by hand.""",
            """Their Hass trees are some of the oldest in the district, planted in the
            1980s, and they still crop heavily every second year.""",
        ),
        memberships=(approved(AVOCADOS, "2025-06-02", "2025-06-05"),),
    ),
    SeedMember(
        slug="quarry-road-avocados",
        legal_name="Te Puna Quarry Road Orchard Limited",
        trading_name="Quarry Road Avocados",
        nzbn="9429000079495",
        gst_number="115489488",
        region="NZ-BOP",
        town="Te Puna",
        latitude="-37.680000",
        longitude="176.070000",
        contact_name="Michael Fraser",
        phone="07 555 0175",
        bank_account="03-1342-0255083-00",
        story=_md(
            """Quarry Road Avocados took over an established eight-hectare orchard at
            Te Puna in 2025 and is replanting the frost-prone lower block with young
            trees.""",
            """We have applied to join the cluster so that our first full crop can
            be sold by the tray alongside our neighbours'.""",
        ),
        memberships=(applied(AVOCADOS, "2026-11-23"),),
    ),
)


# --- Kaipara Kūmara --------------------------------------------------------------

KUMARA = "kaipara-kumara"
KUMARA_MEMBERS: tuple[SeedMember, ...] = (
    SeedMember(
        slug="tokatoka-flats-kumara",
        legal_name="Tokatoka Flats Kūmara Limited",
        trading_name="Tokatoka Flats Kūmara",
        nzbn="9429075479602",
        gst_number="21616346",
        region="NZ-NTL",
        town="Ruawai",
        latitude="-36.120000",
        longitude="173.990000",
        contact_name="Dave Hoskins",
        phone="09 555 0133",
        bank_account="11-5743-0621740-00",
        story=_md(
            """Below the volcanic peak of Tokatoka, on the river flats of the Northern
            Wairoa, the Hoskins family has grown kūmara since 1952. Dave Hoskins is
            the third generation on the farm, and his daughter is learning the
            business now.""",
            """We grow all three of the kūmara New Zealanders know:""",
            """- **Owairaka Red**: red skin, creamy white flesh, the classic roaster.
            - **Toka Toka Gold**: golden flesh, sweet and dry, named for our hill.
            - **Beauregard**: orange flesh, soft and sweet, good for mash.""",
        ),
        memberships=(approved(KUMARA, "2025-02-17", "2025-02-21"),),
    ),
    SeedMember(
        slug="riverflats-kumara",
        legal_name="Ruawai Riverflats Growers Limited",
        trading_name="Riverflats Kūmara",
        nzbn="9429031442930",
        gst_number="95595464",
        region="NZ-NTL",
        town="Ruawai",
        latitude="-36.133300",
        longitude="174.016700",
        contact_name="Ana Bilich",
        phone="09 555 0150",
        bank_account="02-1277-0854556-02",
        story=_md(
            """Ana Bilich's great-grandparents came to the Kaipara from Dalmatia to dig
            kauri gum and stayed to farm. The family has grown kūmara on the drained
            river flats at Ruawai for three generations.""",
            """The flats are rich silt, protected from the tide by stopbanks, and
            they grow long, smooth tubers. After digging we cure them in warm
            rooms for a week, which sweetens them and helps them keep through the
            winter.""",
        ),
        memberships=(approved(KUMARA, "2025-02-19", "2025-02-21"),),
    ),
    SeedMember(
        slug="te-kopuru-gardens",
        legal_name="Te Kōpuru Gardens Limited",
        trading_name="Te Kōpuru Gardens",
        nzbn="9429000965057",
        gst_number="49232160",
        region="NZ-NTL",
        town="Te Kōpuru",
        latitude="-36.033300",
        longitude="173.916700",
        contact_name="Hōhepa Adams",
        phone="09 555 0189",
        bank_account="02-1231-0791780-00",
        story=_md(
            """Te Kōpuru Gardens is a whānau business growing kūmara on land beside the
            Northern Wairoa River that the family has gardened for generations.
            Hōhepa Adams and his cousins run it together, planting in spring and
            digging from February.""",
            """Alongside the modern varieties they keep a small plot of older,
            knobbly kūmara handed down in the whānau. Those are not for sale; the
            Owairaka Red and Toka Toka Gold are, by the box.""",
        ),
        memberships=(approved(KUMARA, "2025-03-03", "2025-03-07"),),
    ),
    SeedMember(
        slug="kumara-crisp-co",
        legal_name="Kaipara Crisp Company Limited",
        trading_name="Kūmara Crisp Co.",
        nzbn="9429014600913",
        gst_number="13077762",
        region="NZ-NTL",
        town="Dargaville",
        latitude="-35.940000",
        longitude="173.870000",
        contact_name="Nicola Broad",
        phone="09 555 0122",
        bank_account="01-1175-0198869-00",
        story=_md(
            """Every kūmara harvest leaves a pile of tubers too small, too big or too
            oddly shaped for the supermarket. Nicola Broad turns them into thin,
            crunchy crisps in a small kitchen in Dargaville, cooked in rice-bran oil
            and seasoned with sea salt.""",
            """Each bag names the grower whose kūmara went into it. Try the
            three-colour bag, with red, gold and orange crisps together.""",
        ),
        memberships=(approved(KUMARA, "2025-04-07", "2025-04-10"),),
        credentials=(
            food_act("Kaipara District Council", "FCP/KDC/2025/0088", (1, 7, 31)),
        ),
    ),
    SeedMember(
        slug="aratapu-kumara",
        legal_name="Wiremu Clark",
        trading_name="Aratapu Kūmara",
        nzbn="9429075383268",
        gst_number="",
        region="NZ-NTL",
        town="Aratapu",
        latitude="-35.990000",
        longitude="173.890000",
        contact_name="Wiremu Clark",
        phone="022 555 0117",
        bank_account="38-9309-0667373-00",
        story=_md(
            """Wiremu Clark grows two hectares of kūmara on sandy ground near Aratapu,
            south of Dargaville, and sells from a stall at his gate and through a
            weekly box scheme.""",
            """It is a one-man operation with help from the neighbours at digging
            time. Order a 5 kg or 10 kg box and Wiremu will dig it that week.""",
        ),
        memberships=(approved(KUMARA, "2025-05-12", "2025-05-15"),),
    ),
    SeedMember(
        slug="mititai-organics",
        legal_name="Mititai Organic Growers Limited",
        trading_name="Mititai Organics",
        nzbn="9429001676433",
        gst_number="27618189",
        region="NZ-NTL",
        town="Mititai",
        latitude="-35.980000",
        longitude="173.950000",
        contact_name="Rebecca Lowe",
        phone="09 555 0146",
        bank_account="03-1757-0182138-01",
        story=_md(
            """Mititai Organics is converting a conventional kūmara farm east of
            Dargaville to organic growing, with green crops and compost instead of
            synthetic fertiliser.""",
            """Our first certified crop is due next autumn; we have applied to join
            the cluster and sent in our certification for checking.""",
        ),
        memberships=(applied(KUMARA, "2026-11-16"),),
        credentials=(organic("OAC-2310", (1, 10, 31), Verification.PENDING),),
    ),
)


# --- South Canterbury Small Seeds ------------------------------------------------

SEEDS = "south-canterbury-small-seeds"
SEED_GROWER_MEMBERS: tuple[SeedMember, ...] = (
    SeedMember(
        slug="levels-plain-seeds",
        legal_name="Levels Plain Seed Farm Limited",
        trading_name="Levels Plain Seeds",
        nzbn="9429031445634",
        gst_number="146753132",
        region="NZ-CAN",
        town="Timaru",
        latitude="-44.396700",
        longitude="171.253600",
        contact_name="Alastair Grant",
        phone="03 555 0158",
        bank_account="03-1970-0687194-01",
        story=_md(
            """Levels Plain Seeds farms 300 hectares on the plain north-west of Timaru.
            Most of the farm grows radish, carrot and spinach seed under contract for
            seed companies overseas; the crops have to be kept well apart so that
            neighbouring varieties cannot cross-pollinate.""",
            """Each summer we bring in beehives to pollinate the flowering crops, and
            harvest when the seed heads are dry and rattling. From every harvest we
            keep a little back for **garden packets**, so home gardeners can grow
            the same varieties.""",
        ),
        memberships=(approved(SEEDS, "2025-02-24", "2025-02-27"),),
    ),
    SeedMember(
        slug="raukapuka-herb-seeds",
        legal_name="Raukapuka Herb Seeds Limited",
        trading_name="Raukapuka Herb Seeds",
        nzbn="9429076338731",
        gst_number="122970817",
        region="NZ-CAN",
        town="Geraldine",
        latitude="-44.091700",
        longitude="171.241700",
        contact_name="Jo Prendergast",
        phone="03 555 0112",
        bank_account="38-9476-0613989-25",
        story=_md(
            """Raukapuka was the first name of the settlement that became Geraldine.
            Jo Prendergast grows certified organic herb seed on ten hectares on the
            edge of town: coriander, dill, fennel, parsley and basil, with borders of
            phacelia for the bees.""",
            """Every packet is hand-filled, dated with its harvest season, and tested
            for germination before it goes on sale.""",
        ),
        memberships=(approved(SEEDS, "2025-02-26", "2025-02-27"),),
        credentials=(organic("OAC-0954", (1, 4, 30)),),
    ),
    SeedMember(
        slug="opihi-clover",
        legal_name="Opihi Clover Seeds Limited",
        trading_name="Ōpihi Clover",
        nzbn="9429040148373",
        gst_number="40995218",
        region="NZ-CAN",
        town="Temuka",
        latitude="-44.241700",
        longitude="171.275000",
        contact_name="Neil Cameron",
        phone="03 555 0139",
        bank_account="11-6909-0382247-25",
        story=_md(
            """On the flats beside the Ōpihi River near Temuka, the Cameron family grows
            white and red clover seed, as well as ryegrass and plantain for pasture
            mixes.""",
            """Through the cluster we sell pasture and clover mixes sized for
            lifestyle blocks, from a 1 kg bag for an orchard sward to a 25 kg bag
            for a few hectares of grazing. Neil is happy to help you choose the
            right mix for your soil and stock.""",
        ),
        memberships=(approved(SEEDS, "2025-03-17", "2025-03-20"),),
    ),
    SeedMember(
        slug="hunter-hills-sprouts",
        legal_name="Hunter Hills Sprouts Limited",
        trading_name="Hunter Hills Sprouting Seeds",
        nzbn="9429010678183",
        gst_number="140684058",
        region="NZ-CAN",
        town="Waimate",
        latitude="-44.733300",
        longitude="171.050000",
        contact_name="Emma Rutherford",
        phone="03 555 0181",
        bank_account="03-1501-0761646-00",
        story=_md(
            """Below the Hunter Hills at Waimate, Emma Rutherford grows and cleans seed
            for sprouting: broccoli, alfalfa, radish, mung beans and a spicy salad
            mix.""",
            """Sprouting seed is eaten, so it is grown, cleaned and packed to food
            safety standards and tested before every batch is released. Each jar
            comes with a sprouting lid and instructions.""",
        ),
        memberships=(approved(SEEDS, "2025-04-14", "2025-04-17"),),
        credentials=(
            food_act("Waimate District Council", "FCP/WMT/2025/0021", (1, 3, 31)),
        ),
    ),
    SeedMember(
        slug="pleasant-point-heirloom-seeds",
        legal_name="Margaret Doyle",
        trading_name="Pleasant Point Heirloom Seeds",
        nzbn="9429032285932",
        gst_number="",
        region="NZ-CAN",
        town="Pleasant Point",
        latitude="-44.260000",
        longitude="171.130000",
        contact_name="Margaret Doyle",
        phone="027 555 0108",
        bank_account="38-9158-0627496-02",
        story=_md(
            """Margaret Doyle has saved seed from her own garden at Pleasant Point for
            forty years: tomatoes, climbing beans, pumpkins and sweet peas, many of
            them varieties brought to South Canterbury by early settler families.""",
            """She sells small packets of open-pollinated heirloom seed, each with a
            note about where the variety came from. Seed you save from them will
            grow true next year.""",
        ),
        memberships=(approved(SEEDS, "2025-05-06", "2025-05-08"),),
    ),
    SeedMember(
        slug="winchester-seed-co",
        legal_name="Winchester Seed Growers Limited",
        trading_name="Winchester Seed Co.",
        nzbn="9429048422413",
        gst_number="22562398",
        region="NZ-CAN",
        town="Winchester",
        latitude="-44.190000",
        longitude="171.280000",
        contact_name="Tim Sullivan",
        phone="03 555 0197",
        bank_account="11-8079-0743013-00",
        story=_md(
            """Winchester Seed Co. is a young company formed by three farming families
            north of Temuka who grow vegetable seed under contract.""",
            """We have applied to join the cluster to sell garden packets of our
            onion, beet and carrot seed directly.""",
        ),
        memberships=(applied(SEEDS, "2026-11-24"),),
    ),
)


# --- Te Tauranga Toi (Māori Artists of Tauranga Moana) ---------------------------
# Artists' iwi and hapū are their own to state; the stories only say, in general
# terms, what each artist chooses to share.

TOI = "te-tauranga-toi"
TOI_MEMBERS: tuple[SeedMember, ...] = (
    SeedMember(
        slug="matapihi-whakairo",
        legal_name="Matapihi Whakairo Limited",
        trading_name="Matapihi Whakairo",
        nzbn="9429026326498",
        gst_number="81944929",
        region="NZ-BOP",
        town="Matapihi",
        latitude="-37.683300",
        longitude="176.200000",
        contact_name="Tamati Walker",
        phone="07 555 0144",
        bank_account="11-6285-0946998-00",
        story=_md(
            """Tamati Walker is a carver of **whakairo rākau** (wood carving) who
            whakapapa to Tauranga Moana. He trained at a carving school in Rotorua
            and has worked on carvings for marae around the Bay of Plenty for twenty
            years.""",
            """From his studio at Matapihi he makes smaller pieces for sale: tekoteko
            and wall panels in tōtara, and pieces in swamp kauri recovered from the
            ground in Northland. Each work comes with a written story of its form
            and the kōrero behind it.""",
            """Larger commissions are by arrangement. Some designs belong to whānau and
            hapū and are carved only for them.""",
        ),
        memberships=(approved(TOI, "2025-02-06", "2025-02-10"),),
        credentials=(toi_iho(MAORI_MADE, "TI-MM-0147", (2, 6, 30)),),
    ),
    SeedMember(
        slug="harakeke-house",
        legal_name="Hine Thompson",
        trading_name="Harakeke House",
        nzbn="9429005323012",
        gst_number="",
        region="NZ-BOP",
        town="Welcome Bay",
        latitude="-37.725000",
        longitude="176.175000",
        contact_name="Hine Thompson",
        phone="021 555 0129",
        bank_account="01-1156-0504955-25",
        story=_md(
            """Hine Thompson learned **raranga** (weaving) from her grandmother and
            aunties, and has woven for more than thirty years. She grows her own
            harakeke at Welcome Bay, and cuts only the outer leaves so that the
            heart of each plant, the rito, keeps growing.""",
            """She weaves kete, whāriki and pōtae, and takes a few commissions each
            year for larger pieces. Her kete are used every day, and they last.""",
        ),
        memberships=(approved(TOI, "2025-02-06", "2025-02-10"),),
        credentials=(toi_iho(MAORI_MADE, "TI-MM-0162", (1, 12, 31)),),
    ),
    SeedMember(
        slug="papamoa-print-studio",
        legal_name="Pāpāmoa Print Studio Limited",
        trading_name="Pāpāmoa Print Studio",
        nzbn="9429066109228",
        gst_number="138347036",
        region="NZ-BOP",
        town="Pāpāmoa",
        latitude="-37.700000",
        longitude="176.283300",
        contact_name="Kiri Morgan",
        phone="07 555 0172",
        bank_account="11-5271-0190099-00",
        story=_md(
            """Kiri Morgan is a painter and printmaker whose work draws on
            **kōwhaiwhai**, the painted rafter patterns of the wharenui, and on the
            coastline at Pāpāmoa where she lives.""",
            """She makes limited-edition screen prints, numbered and signed, and a few
            large paintings each year. Prints are sent rolled in a tube, or framed
            locally in Tauranga if you ask.""",
        ),
        memberships=(approved(TOI, "2025-03-03", "2025-03-05"),),
        credentials=(toi_iho(MAORI_MADE, "TI-MM-0175", (2, 3, 31)),),
    ),
    SeedMember(
        slug="otumoetai-bone-and-stone",
        legal_name="Rēweti Harris",
        trading_name="Ōtūmoetai Bone and Stone",
        nzbn="9429060112927",
        gst_number="140528358",
        region="NZ-BOP",
        town="Ōtūmoetai",
        latitude="-37.670000",
        longitude="176.140000",
        contact_name="Rēweti Harris",
        phone="021 555 0115",
        bank_account="38-9020-0566643-01",
        story=_md(
            """Rēweti Harris carves bone and pounamu into hei matau, koru, toki and
            pendants, working from a small studio in his garage at Ōtūmoetai.""",
            """Pounamu from Te Waipounamu belongs to Ngāi Tahu, and he buys only from
            authorised sources;
            every piece comes with its certificate of origin. His bone work uses
            beef bone, cleaned and carved by hand.""",
        ),
        memberships=(approved(TOI, "2025-03-17", "2025-03-19"),),
        credentials=(toi_iho(MAORI_MADE, "TI-MM-0181", (1, 9, 30)),),
    ),
    SeedMember(
        slug="tai-design",
        legal_name="Tai Design Limited",
        trading_name="Tai Design",
        nzbn="9429030503144",
        gst_number="64311034",
        region="NZ-BOP",
        town="Mount Maunganui",
        latitude="-37.639000",
        longitude="176.185000",
        contact_name="Aroha Bennett",
        phone="07 555 0190",
        bank_account="02-0024-0890693-25",
        story=_md(
            """Aroha Bennett is a contemporary designer who works with her own
            patterns, inspired by the sea and by tukutuku panels, on linen tea
            towels, cushions and wall hangings.""",
            """The designs are hers alone, and everything is printed in Aotearoa on
            natural fabrics. Aroha whakapapa to the Bay of Plenty, and gives part of
            every sale to a local kura's kapa haka group.""",
        ),
        memberships=(approved(TOI, "2025-04-07", "2025-04-09"),),
    ),
    SeedMember(
        slug="maketu-weaving",
        legal_name="Ngaio Reid",
        trading_name="Maketū Weaving",
        nzbn="9429007914676",
        gst_number="",
        region="NZ-BOP",
        town="Maketū",
        latitude="-37.755000",
        longitude="176.456000",
        contact_name="Ngaio Reid",
        phone="027 555 0132",
        bank_account="38-9421-0706547-25",
        story=_md(
            """Ngaio Reid weaves **tāniko** and works with muka, the soft fibre
            stripped from harakeke leaves with a mussel shell, beaten and rolled into
            thread. She dyes it black with paru, an iron-rich mud, and tan with
            bark.""",
            """Her tāniko bands and small kākahu take months to make. She also teaches
            weekend muka workshops at Maketū.""",
        ),
        memberships=(approved(TOI, "2025-05-05", "2025-05-07"),),
    ),
    SeedMember(
        slug="kokowai-gallery",
        legal_name="Kōkōwai Gallery Limited",
        trading_name="Kōkōwai Gallery",
        nzbn="9429046447944",
        gst_number="116800748",
        region="NZ-BOP",
        town="Tauranga",
        latitude="-37.687800",
        longitude="176.165100",
        contact_name="Janine Cooper",
        phone="07 555 0126",
        bank_account="03-0754-0261530-25",
        story=_md(
            """Kōkōwai Gallery, on the Strand in Tauranga, shows and sells work by Māori
            artists of Tauranga Moana and the wider Bay of Plenty. Kōkōwai is the red
            ochre used in traditional painting.""",
            """We pay artists most of each sale and tell every buyer who made the work
            and what it means. Our gallery holds a licence as a Toi Iho stockist.""",
        ),
        memberships=(approved(TOI, "2025-06-02", "2025-06-04"),),
        credentials=(toi_iho(LICENSED_STOCKIST, "TI-LS-0021", (1, 6, 30)),),
    ),
    SeedMember(
        slug="uku-studio",
        legal_name="Mereana Scott",
        trading_name="Uku Studio",
        nzbn="9429094508291",
        gst_number="53358683",
        region="NZ-BOP",
        town="Te Puna",
        latitude="-37.675000",
        longitude="176.075000",
        contact_name="Mereana Scott",
        phone="021 555 0168",
        bank_account="11-5078-0963950-00",
        story=_md(
            """Mereana Scott works in **uku** (clay), making hand-built vessels and
            wall pieces fired in a wood kiln at Te Puna. Her forms draw on hue
            (gourds) and on the shapes of kete.""",
            """She has applied to join the collective and sent her Toi Iho licence
            for checking.""",
        ),
        memberships=(applied(TOI, "2026-11-19"),),
        credentials=(
            toi_iho(MAORI_MADE, "TI-MM-0233", (2, 11, 30), Verification.PENDING),
        ),
    ),
    SeedMember(
        slug="waimapu-studio",
        legal_name="Liam Brown",
        trading_name="Waimapu Studio",
        nzbn="9429098385638",
        gst_number="",
        region="NZ-BOP",
        town="Tauranga",
        latitude="-37.710000",
        longitude="176.150000",
        contact_name="Liam Brown",
        phone="022 555 0153",
        bank_account="11-7992-0734833-00",
        story=_md(
            """Liam Brown is a young painter from Tauranga whose acrylic works on board
            combine kōwhaiwhai forms with street-art colour.""",
            """He finished art school last year and has applied to join the
            collective to sell his first series.""",
        ),
        memberships=(applied(TOI, "2026-11-25"),),
    ),
)


# --- Aotearoa Craft Beer ---------------------------------------------------------

BEER = "aotearoa-craft-beer"
BREWERY_MEMBERS: tuple[SeedMember, ...] = (
    SeedMember(
        slug="ninety-mile-brewing",
        legal_name="Ninety Mile Brewing Limited",
        trading_name="Ninety Mile Brewing",
        nzbn="9429076342813",
        gst_number="138289702",
        region="NZ-NTL",
        town="Kaitāia",
        latitude="-35.113600",
        longitude="173.262800",
        contact_name="Chris Mackie",
        phone="09 555 0107",
        bank_account="06-1442-0900502-25",
        story=_md(
            """Ninety Mile Brewing is the northernmost brewery in the country, a brewpub
            on Kaitāia's main street named for the long beach to the west. Chris
            Mackie started it in 2017 in a former farm machinery showroom.""",
            """We brew easy-drinking pale ales and lagers for a hot climate, and a
            seasonal feijoa sour when the fruit drops in autumn. Our hops come from
            Motueka and our malt from Canterbury.""",
        ),
        memberships=(approved(BEER, "2025-01-27", "2025-01-30"),),
        credentials=(
            liquor("Far North", "01/ON/017/2024", (1, 10, 31)),
            liquor("Far North", "01/OFF/018/2024", (1, 10, 31)),
        ),
    ),
    SeedMember(
        slug="grey-lynn-lager-works",
        legal_name="Lager Works Limited",
        trading_name="Grey Lynn Lager Works",
        nzbn="9429017407892",
        gst_number="72706188",
        region="NZ-AUK",
        town="Auckland",
        latitude="-36.860000",
        longitude="174.740000",
        contact_name="Priya Naidu",
        phone="09 555 0164",
        bank_account="38-9367-0181750-02",
        story=_md(
            """In a converted panel-beater's workshop in Grey Lynn, Tāmaki-Makaurau,
            Priya Naidu brews nothing but lager: Pilsner, Helles, a dark Czech-style
            lager and a rice lager for summer.""",
            """Lager takes time, six weeks or more cold-conditioning in tank, so we
            brew less than most and never rush it. The taproom is open Thursday to
            Sunday.""",
        ),
        memberships=(approved(BEER, "2025-01-29", "2025-01-30"),),
        credentials=(liquor("Auckland", "60/OFF/442/2025", (2, 1, 31)),),
    ),
    SeedMember(
        slug="kirikiriroa-brewing",
        legal_name="Kirikiriroa Brewing Company Limited",
        trading_name="Kirikiriroa Brewing",
        nzbn="9429029409297",
        gst_number="122195295",
        region="NZ-WKO",
        town="Hamilton",
        latitude="-37.787000",
        longitude="175.279300",
        contact_name="Josh Ellison",
        phone="07 555 0136",
        bank_account="06-1425-0119095-02",
        story=_md(
            """Kirikiriroa Brewing is named for the Māori name of Hamilton, and brews
            beside the Waikato River in a former dairy company building.""",
            """We are best known for hazy IPAs packed with Nelson Sauvin and Motueka
            hops, canned fresh every week, and for a porter brewed with roasted
            barley from a Waikato farm.""",
        ),
        memberships=(approved(BEER, "2025-02-10", "2025-02-13"),),
        credentials=(liquor("Hamilton", "31/OFF/105/2025", (2, 6, 30)),),
    ),
    SeedMember(
        slug="ahuriri-sour-house",
        legal_name="Ahuriri Sour House Limited",
        trading_name="Ahuriri Sour House",
        nzbn="9429081658145",
        gst_number="39591573",
        region="NZ-HKB",
        town="Napier",
        latitude="-39.492800",
        longitude="176.912000",
        contact_name="Claire Dufour",
        phone="06 555 0143",
        bank_account="01-0567-0528615-00",
        story=_md(
            """Ahuriri Sour House makes sour and wild-fermented beers in Napier, using
            Hawke's Bay fruit: apricots and peaches from Heretaunga, plums and
            boysenberries in late summer.""",
            """Claire Dufour learned to blend aged sour beer in Belgium. Our beers
            rest in old wine barrels for up to two years before they are blended
            and bottled, so each batch is small and each vintage a little
            different.""",
        ),
        memberships=(approved(BEER, "2025-02-17", "2025-02-20"),),
        credentials=(liquor("Napier", "40/OFF/066/2024", (1, 7, 31)),),
    ),
    SeedMember(
        slug="ngamotu-brewing",
        legal_name="Ngāmotu Brewing Co. Limited",
        trading_name="Ngāmotu Brewing",
        nzbn="9429060249708",
        gst_number="19944484",
        region="NZ-TKI",
        town="New Plymouth",
        latitude="-39.055600",
        longitude="174.075200",
        contact_name="Tom Barrett",
        phone="06 555 0151",
        bank_account="01-1176-0718416-02",
        story=_md(
            """Ngāmotu is the Māori name for New Plymouth and for the Sugar Loaf
            Islands off its coast. Tom Barrett brews a small range of pale ales and
            stouts within sight of Taranaki Maunga.""",
            """Our taproom pours six beers at a time, and the cans go out to bottle
            shops from Whanganui to Mōkau. Our off-licence renewal is with the
            licensing committee.""",
        ),
        memberships=(approved(BEER, "2025-03-03", "2025-03-06"),),
        # Lapsed on purpose: shows that an expired credential stops being verified.
        credentials=(liquor("New Plymouth", "42/OFF/031/2022", (-1, 10, 31)),),
    ),
    SeedMember(
        slug="ruamahanga-brewery",
        legal_name="Ruamāhanga Brewery Limited",
        trading_name="Ruamāhanga Brewery",
        nzbn="9429069081583",
        gst_number="75117854",
        region="NZ-WGN",
        town="Martinborough",
        latitude="-41.216700",
        longitude="175.460000",
        contact_name="Sophie Blake",
        phone="06 555 0179",
        bank_account="02-0526-0396070-25",
        story=_md(
            """Ruamāhanga Brewery brews in a shed on the edge of Martinborough, in a
            town better known for its wine. Sophie Blake named it for the river that
            runs down the Wairarapa valley.""",
            """We brew a crisp Kölsch-style ale, a hoppy pale ale with Wairarapa-grown
            hops, and a wheat beer with local lemons. Every November you will find
            us at the Martinborough Fair.""",
        ),
        memberships=(
            approved(BEER, "2025-03-10", "2025-03-13"),
            approved("martinborough-fair", "2025-09-01", "2025-09-03"),
        ),
        credentials=(liquor("South Wairarapa", "53/OFF/009/2025", (2, 8, 31)),),
    ),
    SeedMember(
        slug="old-kiln-brewery",
        legal_name="Hop Kiln Brewery Limited",
        trading_name="Old Kiln Brewery",
        nzbn="9429057766256",
        gst_number="86640694",
        region="NZ-TAS",
        town="Motueka",
        latitude="-41.110000",
        longitude="173.010000",
        contact_name="Finn Gallagher",
        phone="03 555 0131",
        bank_account="02-1253-0216306-02",
        story=_md(
            """The Gallaghers have grown hops near Motueka for three generations, and
            in 2016 Finn turned the old hop kiln on the farm into a brewery.""",
            """Our hops are certified organic, and we brew with them the day they are
            picked for a fresh-hop ale every March, the only time of year it can be
            made. The rest of the year we make pale ales and a pilsner that show off
            the hops of the Motueka and Riwaka valleys.""",
        ),
        memberships=(approved(BEER, "2025-04-07", "2025-04-10"),),
        credentials=(
            liquor("Tasman", "52/OFF/028/2025", (2, 9, 30)),
            organic("OAC-1720", (1, 2, 28)),
        ),
    ),
    SeedMember(
        slug="mawhera-brewing",
        legal_name="Māwhera Brewing Company Limited",
        trading_name="Māwhera Brewing",
        nzbn="9429010696552",
        gst_number="126684134",
        region="NZ-WTC",
        town="Greymouth",
        latitude="-42.450000",
        longitude="171.210000",
        contact_name="Dean Corcoran",
        phone="03 555 0118",
        bank_account="06-1480-0284202-02",
        story=_md(
            """Māwhera is the Māori name for the mouth of the Grey River, where
            Greymouth stands. Dean Corcoran brews dark beers suited to West Coast
            weather: a dry stout, an oatmeal stout and a smoked porter.""",
            """The water comes from the hills behind the town, soft and clean, which
            suits the dark malts.""",
        ),
        memberships=(approved(BEER, "2025-05-05", "2025-05-08"),),
        credentials=(liquor("Grey", "47/OFF/012/2025", (2, 5, 31)),),
    ),
    SeedMember(
        slug="otepoti-barrel-works",
        legal_name="Ōtepoti Barrel Works Limited",
        trading_name="Barrel Works",
        nzbn="9429083954016",
        gst_number="57195495",
        region="NZ-OTA",
        town="Dunedin",
        latitude="-45.878800",
        longitude="170.502800",
        contact_name="Hannah McLeod",
        phone="03 555 0169",
        bank_account="01-0848-0816277-00",
        story=_md(
            """Barrel Works ages strong stouts and barley wines in barrels from Central
            Otago wineries, in a brick warehouse in Ōtepoti Dunedin's old
            warehouse precinct.""",
            """Each release is a blend of barrels, bottled by hand in small numbers and
            labelled with the barrels it came from. Good for keeping, and for
            sharing.""",
        ),
        memberships=(approved(BEER, "2025-06-09", "2025-06-12"),),
        credentials=(liquor("Dunedin", "71/OFF/054/2024", (1, 12, 31)),),
    ),
    SeedMember(
        slug="waihopai-brewing",
        legal_name="Waihōpai Brewing Limited",
        trading_name="Waihōpai Brewing",
        nzbn="9429080141273",
        gst_number="74289690",
        region="NZ-STL",
        town="Invercargill",
        latitude="-46.413200",
        longitude="168.353800",
        contact_name="Aaron Kennedy",
        phone="03 555 0104",
        bank_account="11-7515-0951157-25",
        story=_md(
            """Waihōpai Brewing opened in Invercargill in 2025, brewing lagers and
            pale ales with malt from Southland barley.""",
            """We have applied to join the cluster, with our new off-licence, so that
            drinkers up north can order our beer alongside the rest of the
            country's.""",
        ),
        memberships=(applied(BEER, "2026-11-17"),),
        credentials=(
            liquor(
                "Invercargill",
                "72/OFF/019/2026",
                (1, 11, 30),
                Verification.PENDING,
            ),
        ),
    ),
)


# --- NZ Steel Fabricators --------------------------------------------------------

STEEL = "nz-steel-fabricators"
STEEL_MEMBERS: tuple[SeedMember, ...] = (
    SeedMember(
        slug="ets-structural",
        legal_name="East Tāmaki Structural Limited",
        trading_name="ETS Structural",
        nzbn="9429017895620",
        gst_number="76864217",
        region="NZ-AUK",
        town="East Tāmaki",
        latitude="-36.950000",
        longitude="174.890000",
        contact_name="Brendan O'Neill",
        phone="09 555 0191",
        bank_account="03-1926-0440186-25",
        email_local="quotes",
        story=_md(
            """ETS Structural fabricates **beams, columns and portal frames** for
            commercial buildings, warehouses and schools, from a 4,000 m² workshop in
            East Tāmaki with two overhead cranes and a CNC beam line.""",
            """We work to AS/NZS 5131 and can fabricate to construction category CC3.
            For every job we prepare shop drawings, weld procedures and test
            certificates to the builder's requirements.""",
        ),
        memberships=(approved(STEEL, "2025-02-03", "2025-02-05"),),
        credentials=(steel_certificate("SFR-0117", "CC3", (1, 11, 30)),),
    ),
    SeedMember(
        slug="penrose-pipe-and-spool",
        legal_name="Penrose Pipe and Spool Limited",
        trading_name="Penrose Pipe & Spool",
        nzbn="9429055894845",
        gst_number="32681298",
        region="NZ-AUK",
        town="Penrose",
        latitude="-36.910000",
        longitude="174.820000",
        contact_name="Vikram Rao",
        phone="09 555 0127",
        bank_account="11-7397-0795535-00",
        email_local="quotes",
        story=_md(
            """Penrose Pipe & Spool makes **pipe spools** and process pipework in carbon
            and stainless steel for food plants, dairy factories and water
            treatment.""",
            """Every weld is traceable to its welder and procedure, and spools leave
            the shop pressure-tested, labelled and capped, ready to fit.""",
        ),
        memberships=(approved(STEEL, "2025-02-05", "2025-02-07"),),
        credentials=(steel_certificate("SFR-0142", "CC2", (1, 8, 31)),),
    ),
    SeedMember(
        slug="te-rapa-engineering",
        legal_name="Te Rapa Engineering Limited",
        trading_name="Te Rapa Engineering",
        nzbn="9429074624621",
        gst_number="120974769",
        region="NZ-WKO",
        town="Hamilton",
        latitude="-37.740000",
        longitude="175.230000",
        contact_name="Gary Whitehead",
        phone="07 555 0183",
        bank_account="06-0745-0287966-01",
        email_local="quotes",
        story=_md(
            """Te Rapa Engineering is a machining and fabrication shop in Hamilton's
            industrial north. We make **bearing housings**, plummer blocks, shafts
            and bushes, and the brackets and base plates that go with them.""",
            """Our CNC lathes and machining centres handle one-off repairs as readily
            as production runs of a few hundred. Much of our work is for dairy
            factories and sawmills, where a failed bearing stops the line.""",
        ),
        memberships=(approved(STEEL, "2025-03-03", "2025-03-05"),),
        credentials=(steel_certificate("SFR-0156", "CC2", (2, 2, 28)),),
    ),
    SeedMember(
        slug="manawatu-beam-and-column",
        legal_name="Manawatū Beam and Column Limited",
        trading_name="Manawatū Beam & Column",
        nzbn="9429037457617",
        gst_number="90810731",
        region="NZ-MWT",
        town="Palmerston North",
        latitude="-40.352300",
        longitude="175.608200",
        contact_name="Kelly Anderson",
        phone="06 555 0120",
        bank_account="12-3601-0243474-02",
        email_local="quotes",
        story=_md(
            """From Palmerston North, in the middle of the North Island, Manawatū Beam
            & Column supplies structural steel for farm buildings, distribution
            centres and bridges.""",
            """We cut, drill, weld and paint under one roof, and our site crews can
            erect what we make. Frames for jobs further afield are fabricated and
            painted here and leave the yard by truck or by rail.""",
        ),
        memberships=(approved(STEEL, "2025-03-10", "2025-03-12"),),
        credentials=(steel_certificate("SFR-0163", "CC2", (1, 6, 30)),),
    ),
    SeedMember(
        slug="feilding-stairworks",
        legal_name="Feilding Stair and Balustrade Limited",
        trading_name="Feilding Stairworks",
        nzbn="9429064757254",
        gst_number="57996471",
        region="NZ-MWT",
        town="Feilding",
        latitude="-40.225000",
        longitude="175.565000",
        contact_name="Matt Sorensen",
        phone="06 555 0159",
        bank_account="03-1304-0284377-00",
        email_local="quotes",
        story=_md(
            """Feilding Stairworks makes steel stairs, landings, ladders and
            balustrades, from fire-escape stairs for apartment blocks to feature
            staircases for homes.""",
            """Each stair is drawn in 3D, checked against the building code, cut and
            welded in our Feilding workshop, and galvanised or powder-coated before
            it leaves.""",
        ),
        memberships=(approved(STEEL, "2025-04-14", "2025-04-16"),),
        credentials=(steel_certificate("SFR-0171", "CC2", (1, 4, 30)),),
    ),
    SeedMember(
        slug="hornby-heavy-fab",
        legal_name="Hornby Heavy Fabrication Limited",
        trading_name="Hornby Heavy Fab",
        nzbn="9429064484808",
        gst_number="99511125",
        region="NZ-CAN",
        town="Christchurch",
        latitude="-43.542000",
        longitude="172.525000",
        contact_name="Mike Lawson",
        phone="03 555 0147",
        bank_account="01-0724-0565509-00",
        email_local="quotes",
        story=_md(
            """Hornby Heavy Fab grew up with the rebuild of Ōtautahi Christchurch after
            the 2010 and 2011 earthquakes, fabricating heavy moment frames and
            braced frames for new commercial buildings.""",
            """We are moving our workshop to a larger site at Rolleston, with a new
            beam line and a blast-and-paint shed, so that big frames can be
            fabricated, blasted and painted in one place.""",
        ),
        memberships=(approved(STEEL, "2025-04-21", "2025-04-23"),),
        credentials=(steel_certificate("SFR-0184", "CC3", (1, 10, 31)),),
    ),
    SeedMember(
        slug="rolleston-roll-forming",
        legal_name="Rolleston Rollforming Limited",
        trading_name="Rolleston Roll Forming",
        nzbn="9429051689711",
        gst_number="72163109",
        region="NZ-CAN",
        town="Rolleston",
        latitude="-43.590600",
        longitude="172.379700",
        contact_name="Sandeep Gill",
        phone="03 555 0176",
        bank_account="12-3641-0664011-02",
        email_local="quotes",
        story=_md(
            """Rolleston Roll Forming makes cold-formed steel purlins and girts, the
            light members that carry a building's roof and wall cladding.""",
            """We have applied to join the network so that warehouse builders can
            order our purlins and girts in the same cart as the members' frames.""",
        ),
        memberships=(applied(STEEL, "2026-11-26"),),
    ),
)


# --- Rongoā and Natural Health Products ------------------------------------------
# No product here claims to prevent, treat or cure anything (domain-nz.md §5).

RONGOA = "rongoa-natural-health"
RONGOA_MEMBERS: tuple[SeedMember, ...] = (
    SeedMember(
        slug="kawakawa-kitchen",
        legal_name="Kawakawa Kitchen Limited",
        trading_name="Kawakawa Kitchen",
        nzbn="9429053914958",
        gst_number="109791652",
        region="NZ-NTL",
        town="Kaikohe",
        latitude="-35.407500",
        longitude="173.799700",
        contact_name="Awhina Morris",
        phone="09 555 0138",
        bank_account="03-0243-0966299-00",
        story=_md(
            """Awhina Morris learned about rongoā from her nanny, gathering kawakawa in
            the bush behind the family marae near Kaikohe. Kawakawa Kitchen makes
            small batches of kawakawa balm and loose-leaf kawakawa tea from leaves
            gathered by hand, with karakia, and only from plants that can spare
            them.""",
            """Our balm is made with beeswax from Northland hives and cold-pressed
            oils. Our tea has a peppery, grassy taste and is lovely with a slice of
            lemon.""",
            """Every label lists the ingredients and where they were gathered. We
            describe what our products are made of, not what they do.""",
        ),
        memberships=(approved(RONGOA, "2025-02-10", "2025-02-13"),),
        credentials=(
            food_act("Far North District Council", "FCP/FNDC/2025/0142", (1, 8, 31)),
        ),
    ),
    SeedMember(
        slug="whenua-skin-co",
        legal_name="Whenua Skin Co. Limited",
        trading_name="Whenua Skin Co.",
        nzbn="9429066129615",
        gst_number="73460220",
        region="NZ-MWT",
        town="Whanganui",
        latitude="-39.930100",
        longitude="175.047900",
        contact_name="Tessa Hill",
        phone="06 555 0125",
        bank_account="06-0882-0526943-01",
        story=_md(
            """Whenua Skin Co. makes soaps, body oils and hand creams in Whanganui with
            harakeke seed oil, mānuka oil and local beeswax.""",
            """Tessa Hill started with soap for her own family and now works with two
            Māori-owned growers who supply the harakeke seed. We use no synthetic
            fragrance, and our packaging is glass, tin or paper.""",
        ),
        memberships=(approved(RONGOA, "2025-02-12", "2025-02-13"),),
    ),
    SeedMember(
        slug="turanga-teas",
        legal_name="Tūranga Herbal Teas Limited",
        trading_name="Tūranga Teas",
        nzbn="9429072999493",
        gst_number="68123038",
        region="NZ-GIS",
        town="Gisborne",
        latitude="-38.662300",
        longitude="178.017600",
        contact_name="Pania Edwards",
        phone="06 555 0186",
        bank_account="12-3616-0295576-02",
        story=_md(
            """Tūranga Teas grows and blends herbal teas on the Poverty Bay flats near
            Gisborne, in the sun of Te Tairāwhiti. Pania Edwards grows lemongrass,
            mint and calendula, and gathers kawakawa and horopito from her whānau
            land.""",
            """The garden is certified organic. Leaves are dried slowly in the shade
            and blended by hand; try **Kawakawa & Mint** after dinner or
            **Horopito Chai**, peppery and warming, on a cold morning.""",
        ),
        memberships=(approved(RONGOA, "2025-03-17", "2025-03-20"),),
        credentials=(
            food_act("Gisborne District Council", "FCP/GDC/2025/0063", (1, 9, 30)),
            organic("OAC-1894", (1, 11, 30)),
        ),
    ),
    SeedMember(
        slug="otaki-botanicals",
        legal_name="Rachel Goodwin",
        trading_name="Ōtaki Botanicals",
        nzbn="9429087760996",
        gst_number="",
        region="NZ-WGN",
        town="Ōtaki",
        latitude="-40.758300",
        longitude="175.150000",
        contact_name="Rachel Goodwin",
        phone="027 555 0161",
        bank_account="11-8396-0126000-01",
        story=_md(
            """Rachel Goodwin makes infused oils and bath salts in her kitchen at
            Ōtaki, from calendula, rose and kawakawa she grows in her own garden.""",
            """Everything is made in batches of a dozen or so jars, labelled by hand
            with the batch date and every ingredient.""",
        ),
        memberships=(approved(RONGOA, "2025-05-19", "2025-05-22"),),
    ),
    SeedMember(
        slug="waonui-rongoa",
        legal_name="Hemi Johnson",
        trading_name="Waonui Rongoā",
        nzbn="9429000481373",
        gst_number="",
        region="NZ-WKO",
        town="Tokoroa",
        latitude="-38.225000",
        longitude="175.875000",
        contact_name="Hemi Johnson",
        phone="021 555 0194",
        bank_account="38-9437-0547501-02",
        story=_md(
            """Hemi Johnson is a rongoā practitioner in Tokoroa, on the edge of the
            great forests of the South Waikato. Waonui means 'great forest'.""",
            """He makes kūmarahou and kawakawa balms and harakeke gel in small batches
            for the Tokoroa market and now online. He is glad to talk about how
            each plant was gathered and prepared.""",
        ),
        memberships=(
            approved(RONGOA, "2025-06-02", "2025-06-05"),
            approved("tokoroa-makers", "2025-06-09", "2025-06-10"),
        ),
    ),
    SeedMember(
        slug="poutini-botanicals",
        legal_name="Poutini Botanicals Limited",
        trading_name="Poutini Botanicals",
        nzbn="9429019694573",
        gst_number="104101224",
        region="NZ-WTC",
        town="Hokitika",
        latitude="-42.716700",
        longitude="170.966700",
        contact_name="Shane Hughes",
        phone="03 555 0149",
        bank_account="03-1390-0235706-02",
        story=_md(
            """Poutini Botanicals steam-distils **kānuka and mānuka oils** on the West
            Coast near Hokitika, from branches trimmed under permit from regenerating
            scrub on farmland.""",
            """Each bottle names the valley and the month the branches were cut. The
            oils are sold for fragrance and for making your own soaps and balms, and
            are labelled with how to use them safely.""",
        ),
        memberships=(approved(RONGOA, "2025-07-07", "2025-07-10"),),
    ),
    SeedMember(
        slug="horopito-lane",
        legal_name="Horopito Lane Limited",
        trading_name="Horopito Lane",
        nzbn="9429074819706",
        gst_number="115599984",
        region="NZ-BOP",
        town="Rotorua",
        latitude="-38.136800",
        longitude="176.249700",
        contact_name="Kahu Stewart",
        phone="07 555 0113",
        bank_account="01-1127-0781574-00",
        story=_md(
            """Horopito Lane makes dried horopito pepper and horopito seasoning
            blends in Rotorua, from leaves of the native pepper tree gathered in
            forest on whānau land.""",
            """We have applied to join the cluster and sent our Food Act registration
            for checking.""",
        ),
        memberships=(applied(RONGOA, "2026-11-21"),),
        credentials=(
            food_act(
                "Rotorua Lakes Council",
                "FCP/RLC/2026/0210",
                (1, 11, 30),
                Verification.PENDING,
            ),
        ),
    ),
)


# --- Martinborough Fair Stallholders ---------------------------------------------

FAIR = "martinborough-fair"
FAIR_MEMBERS: tuple[SeedMember, ...] = (
    SeedMember(
        slug="the-square-pantry",
        legal_name="Square Pantry Preserves Limited",
        trading_name="The Square Pantry",
        nzbn="9429060966988",
        gst_number="45271587",
        region="NZ-WGN",
        town="Martinborough",
        latitude="-41.218000",
        longitude="175.458000",
        contact_name="Linda Whitcombe",
        phone="06 555 0145",
        bank_account="01-0475-0572213-01",
        story=_md(
            """The Square Pantry has had a stall at every Martinborough Fair since
            1998, when Linda Whitcombe first sold her grandmother's plum jam from a
            trestle table on the Square.""",
            """Today we make about thirty preserves in our licensed kitchen behind the
            shop, from Wairarapa fruit: quince paste, feijoa chutney, apricot jam,
            and a pinot noir jelly made with wine from down the road.""",
        ),
        memberships=(approved(FAIR, "2025-01-13", "2025-01-15"),),
        credentials=(food_act(SWDC, "FCP/SWDC/2025/0044", (1, 6, 30)),),
    ),
    SeedMember(
        slug="greytown-woodturning",
        legal_name="Barry Fitzgerald",
        trading_name="Greytown Woodturning",
        nzbn="9429082681555",
        gst_number="46831411",
        region="NZ-WGN",
        town="Greytown",
        latitude="-41.081100",
        longitude="175.459400",
        contact_name="Barry Fitzgerald",
        phone="027 555 0134",
        bank_account="12-3430-0773656-25",
        story=_md(
            """Barry Fitzgerald turns bowls, platters and pepper grinders from timber
            that would otherwise be burned: macrocarpa and oak from Wairarapa
            farms, and rimu and mataī salvaged from demolished villas.""",
            """Each piece is finished with food-safe oil and signed underneath with
            the timber and where it came from.""",
        ),
        memberships=(approved(FAIR, "2025-01-15", "2025-01-17"),),
    ),
    SeedMember(
        slug="remutaka-linen",
        legal_name="Remutaka Linen Limited",
        trading_name="Remutaka Linen",
        nzbn="9429055534116",
        gst_number="90545965",
        region="NZ-WGN",
        town="Featherston",
        latitude="-41.116700",
        longitude="175.325000",
        contact_name="Olivia Marsh",
        phone="06 555 0157",
        bank_account="06-1429-0832170-01",
        story=_md(
            """Remutaka Linen is a small clothing label in Featherston, at the foot of
            the Remutaka hill. Olivia Marsh designs and sews loose, easy linen
            shirts, dresses and aprons in a workroom above the old bank.""",
            """Every garment is cut and sewn in Featherston, in runs of ten or twenty,
            and we will take up a hem for free.""",
        ),
        memberships=(approved(FAIR, "2025-02-03", "2025-02-05"),),
    ),
    SeedMember(
        slug="waiohine-natives",
        legal_name="Waiohine Plant Nursery Limited",
        trading_name="Waiohine Natives",
        nzbn="9429079659598",
        gst_number="75347626",
        region="NZ-WGN",
        town="Carterton",
        latitude="-41.025000",
        longitude="175.528300",
        contact_name="Jenny Moffat",
        phone="06 555 0116",
        bank_account="06-1483-0446377-01",
        story=_md(
            """Waiohine Natives grows native plants from seed collected in the
            Wairarapa: harakeke, coprosma, kōwhai, tōtara and the grasses and sedges
            that hold stream banks together.""",
            """We sell to gardeners and to landowners planting riparian strips, in
            trays of twenty-four for planting days. Plants travel best in autumn
            and winter; order ahead for delivery then.""",
        ),
        memberships=(approved(FAIR, "2025-02-10", "2025-02-12"),),
    ),
    SeedMember(
        slug="huangarua-olives",
        legal_name="Huangarua Olive Grove Limited",
        trading_name="Huangarua Olives",
        nzbn="9429006270155",
        gst_number="69374190",
        region="NZ-WGN",
        town="Martinborough",
        latitude="-41.230000",
        longitude="175.470000",
        contact_name="Paul Lindsay",
        phone="06 555 0188",
        bank_account="38-9281-0727898-01",
        story=_md(
            """Huangarua Olives has 1,200 trees on a terrace above the Huangarua River,
            just south of Martinborough. The dry, warm autumns here suit olives
            nearly as well as they suit grapes.""",
            """We pick in May and June and press within hours, for a grassy, peppery
            extra virgin olive oil. The grove is certified organic.""",
        ),
        memberships=(approved(FAIR, "2025-03-03", "2025-03-05"),),
        credentials=(
            food_act(SWDC, "FCP/SWDC/2025/0071", (1, 6, 30)),
            organic("OAC-1366", (1, 5, 31)),
        ),
    ),
    SeedMember(
        slug="fair-ground-coffee",
        legal_name="Fair Ground Coffee Limited",
        trading_name="Fair Ground Coffee",
        nzbn="9429099119959",
        gst_number="146364578",
        region="NZ-WGN",
        town="Masterton",
        latitude="-40.951100",
        longitude="175.657200",
        contact_name="Aimee Cho",
        phone="06 555 0121",
        bank_account="12-3697-0702793-00",
        story=_md(
            """Fair Ground Coffee roasts in Masterton and runs the coffee cart you
            queue at first thing on fair day. Aimee Cho buys green beans from
            growers in Papua New Guinea, Colombia and Ethiopia.""",
            """We roast twice a week and send beans within three days of roasting,
            whole or ground for your plunger, stovetop or espresso machine.""",
        ),
        memberships=(approved(FAIR, "2025-03-17", "2025-03-19"),),
        credentials=(
            food_act("Masterton District Council", "FCP/MDC/2025/0139", (1, 10, 31)),
        ),
    ),
    SeedMember(
        slug="palliser-bay-pottery",
        legal_name="Susan Kemp",
        trading_name="Palliser Bay Pottery",
        nzbn="9429073728375",
        gst_number="26572088",
        region="NZ-WGN",
        town="Lake Ferry",
        latitude="-41.395000",
        longitude="175.145000",
        contact_name="Susan Kemp",
        phone="06 555 0174",
        bank_account="01-1104-0896256-25",
        story=_md(
            """Susan Kemp throws mugs, bowls and jugs in a studio looking over Palliser
            Bay, and glazes them in the colours of the coast: grey-green, sand and
            the deep blue of the bay in winter.""",
            """Everything is dishwasher-safe and meant to be used every day.""",
        ),
        memberships=(approved(FAIR, "2025-04-07", "2025-04-09"),),
    ),
    SeedMember(
        slug="wairarapa-dumpling-co",
        legal_name="Wairarapa Dumpling Co. Limited",
        trading_name="Dumpling Co.",
        nzbn="9429035661801",
        gst_number="83250046",
        region="NZ-WGN",
        town="Masterton",
        latitude="-40.945000",
        longitude="175.665000",
        contact_name="Kevin Zhang",
        phone="06 555 0102",
        bank_account="38-9058-0601651-00",
        story=_md(
            """Dumpling Co. is a food truck that makes pork and cabbage, chicken and
            mushroom, and pumpkin dumplings by hand, with pastry rolled every
            morning.""",
            """Frozen bags of thirty dumplings are sold online for cooking at home.""",
        ),
        memberships=(
            suspended(
                FAIR,
                "2025-05-05",
                "2026-09-14",
                "Food Act registration not renewed; suspended until the council "
                "confirms the new registration.",
            ),
        ),
        credentials=(
            food_act(
                "Masterton District Council",
                "FCP/MDC/2026/0204",
                (1, 9, 30),
                Verification.PENDING,
            ),
        ),
    ),
    SeedMember(
        slug="tora-coast-silver",
        legal_name="Emma Fox",
        trading_name="Tora Coast Silver",
        nzbn="9429088248615",
        gst_number="",
        region="NZ-WGN",
        town="Martinborough",
        latitude="-41.210000",
        longitude="175.450000",
        contact_name="Emma Fox",
        phone="022 555 0199",
        bank_account="06-1468-0815744-00",
        story=_md(
            """Emma Fox makes silver rings, earrings and pendants, some set with pāua
            or with stones from the Tora coast, at her bench in Martinborough.""",
            """She has applied to join the association ahead of her first
            Martinborough Fair.""",
        ),
        memberships=(applied(FAIR, "2026-11-22"),),
    ),
)


# --- Tokoroa Businesses and Artisans ---------------------------------------------

TOKOROA = "tokoroa-makers"
SWDC_WAIKATO = "South Waikato District Council"
TOKOROA_MEMBERS: tuple[SeedMember, ...] = (
    SeedMember(
        slug="tokoroa-joinery",
        legal_name="Tokoroa Timber Joinery Limited",
        trading_name="Tokoroa Joinery",
        nzbn="9429090947230",
        gst_number="62828080",
        region="NZ-WKO",
        town="Tokoroa",
        latitude="-38.216700",
        longitude="175.866700",
        contact_name="Wayne Riddell",
        phone="07 555 0165",
        bank_account="02-0532-0398953-00",
        story=_md(
            """Tokoroa Joinery makes furniture, doors and kitchens from timber grown
            in the plantation forests around the town: radiata pine, Douglas fir
            and, for special pieces, macrocarpa and eucalyptus.""",
            """Wayne Riddell started as an apprentice at the mill and opened the
            joinery in 1996. His dining tables and benches are built to be handed
            down.""",
        ),
        memberships=(approved(TOKOROA, "2025-03-03", "2025-03-05"),),
    ),
    SeedMember(
        slug="pine-town-bakehouse",
        legal_name="Pine Town Bakehouse Limited",
        trading_name="Pine Town Bakehouse",
        nzbn="9429082886936",
        gst_number="118832401",
        region="NZ-WKO",
        town="Tokoroa",
        latitude="-38.220000",
        longitude="175.870000",
        contact_name="Teuila Matthews",
        phone="07 555 0111",
        bank_account="06-1477-0301446-01",
        story=_md(
            """Pine Town Bakehouse bakes pies, bread and Pacific favourites every
            morning from 4 am: pani popo (coconut buns), panikeke and keke
            pua'a.""",
            """Order ahead for a family box, or a tray of pani popo for a birthday or
            a church lunch, and collect it warm.""",
        ),
        memberships=(approved(TOKOROA, "2025-03-05", "2025-03-07"),),
        credentials=(food_act(SWDC_WAIKATO, "FCP/SWDC-W/2025/0056", (1, 4, 30)),),
    ),
    SeedMember(
        slug="tiare-tivaevae",
        legal_name="Tiare Tīvaevae Collective Incorporated",
        trading_name="Tiare Tīvaevae",
        nzbn="9429055618557",
        gst_number="",
        region="NZ-WKO",
        town="Tokoroa",
        latitude="-38.210000",
        longitude="175.860000",
        contact_name="Mata Williams",
        phone="021 555 0182",
        bank_account="06-1479-0684137-00",
        story=_md(
            """Tiare Tīvaevae is a group of Cook Islands women in Tokoroa who sew
            **tīvaevae**, the bright appliquéd and pieced quilts given at the big
            moments of life: births, weddings, twenty-firsts and funerals.""",
            """A large tīvaevae takes several women many months. The collective sells
            cushion covers and smaller pieces online, takes a few commissions each
            year, and brings a stall to the Martinborough Fair.""",
        ),
        memberships=(
            approved(TOKOROA, "2025-03-10", "2025-03-12"),
            approved(FAIR, "2025-08-04", "2025-08-06"),
        ),
    ),
    SeedMember(
        slug="pine-ridge-honey",
        legal_name="Pine Ridge Apiaries Limited",
        trading_name="Pine Ridge Honey",
        nzbn="9429046657886",
        gst_number="30196791",
        region="NZ-WKO",
        town="Putāruru",
        latitude="-38.050000",
        longitude="175.783300",
        contact_name="Graham Ashby",
        phone="07 555 0154",
        bank_account="06-1434-0822866-00",
        story=_md(
            """Pine Ridge Honey keeps 400 hives on farms and forest edges between
            Putāruru and Tokoroa. The bees work clover in summer, rewarewa in the
            bush gullies and mānuka on the scrubby hillsides.""",
            """We extract and pot our honey ourselves, in small batches by season, and
            each jar says where the hives were.""",
        ),
        memberships=(approved(TOKOROA, "2025-04-07", "2025-04-09"),),
        credentials=(
            food_act(
                "Ministry for Primary Industries", "NP3/HNY/2025/0412", (1, 3, 31)
            ),
        ),
    ),
    SeedMember(
        slug="kotare-carving",
        legal_name="Rāwiri Parker",
        trading_name="Kōtare Carving",
        nzbn="9429088951720",
        gst_number="135767433",
        region="NZ-WKO",
        town="Tokoroa",
        latitude="-38.230000",
        longitude="175.860000",
        contact_name="Rāwiri Parker",
        phone="027 555 0128",
        bank_account="06-1457-0452052-25",
        story=_md(
            """Rāwiri Parker carves pou, paddles and wall panels from tōtara and from
            pine grown in the forests around Tokoroa, and helped restore some of
            the town's carved poles.""",
            """He takes commissions for schools, marae and homes, and sells smaller
            pieces through the cluster.""",
        ),
        memberships=(approved(TOKOROA, "2025-05-05", "2025-05-07"),),
        credentials=(toi_iho(MAORI_MADE, "TI-MM-0199", (2, 8, 31)),),
    ),
    SeedMember(
        slug="forest-city-print",
        legal_name="Forest City Print Limited",
        trading_name="Forest City Print",
        nzbn="9429048542630",
        gst_number="51225120",
        region="NZ-WKO",
        town="Tokoroa",
        latitude="-38.215000",
        longitude="175.872000",
        contact_name="Shannon Clarke",
        phone="07 555 0177",
        bank_account="02-1263-0622594-01",
        story=_md(
            """Forest City Print screen-prints T-shirts, hoodies and team uniforms in
            Tokoroa, for sports clubs, schools, kapa haka groups and family
            reunions.""",
            """We also sell our own range of Tokoroa designs. Orders of ten or more
            are printed within a week.""",
        ),
        memberships=(approved(TOKOROA, "2025-05-12", "2025-05-14"),),
    ),
    SeedMember(
        slug="mill-town-engineering",
        legal_name="Mill Town Engineering Limited",
        trading_name="Mill Town Engineering",
        nzbn="9429012346400",
        gst_number="87011658",
        region="NZ-WKO",
        town="Tokoroa",
        latitude="-38.235000",
        longitude="175.880000",
        contact_name="Darren Robson",
        phone="07 555 0195",
        bank_account="06-1465-0382381-02",
        story=_md(
            """Mill Town Engineering builds trailers, farm gates, stock crates and
            log-truck parts, and repairs just about anything made of steel.""",
            """Our custom trailers are built to order and come with their
            certification, ready to register.""",
        ),
        memberships=(approved(TOKOROA, "2025-06-16", "2025-06-18"),),
    ),
    SeedMember(
        slug="roundabout-cafe",
        legal_name="Roundabout Café Limited",
        trading_name="The Roundabout Café",
        nzbn="9429086341028",
        gst_number="101775844",
        region="NZ-WKO",
        town="Tokoroa",
        latitude="-38.218000",
        longitude="175.868000",
        contact_name="Sina Leota",
        phone="07 555 0103",
        bank_account="06-1403-0649570-02",
        story=_md(
            """The Roundabout Café serves coffee, big breakfasts and Pacific-style
            lunches in the middle of Tokoroa.""",
            """We have applied to join the cluster to sell our own coffee blend and
            catering platters online.""",
        ),
        memberships=(applied(TOKOROA, "2026-11-24"),),
        credentials=(
            food_act(
                SWDC_WAIKATO,
                "FCP/SWDC-W/2026/0133",
                (1, 11, 30),
                Verification.PENDING,
            ),
        ),
    ),
)


SEED_MEMBERS: tuple[SeedMember, ...] = (
    *MARLBOROUGH_MEMBERS,
    *TE_HIKU_MEMBERS,
    *AVOCADO_MEMBERS,
    *KUMARA_MEMBERS,
    *SEED_GROWER_MEMBERS,
    *TOI_MEMBERS,
    *BREWERY_MEMBERS,
    *STEEL_MEMBERS,
    *RONGOA_MEMBERS,
    *FAIR_MEMBERS,
    *TOKOROA_MEMBERS,
)


# --- Demo logins -----------------------------------------------------------------
# One admin per cluster (Marlborough's and Te Hiku's come from the cluster seed),
# the owner of each cluster's first approved member, and one member staff login.
# In the clusters the demo's trade story runs in (``purei.trade.seed``), every
# approved member's owner has a login too: each prices its own trade lines.

CLUSTER_ADMIN_LOGINS: tuple[SeedLogin, ...] = (
    SeedLogin("admin@marlborough-wine.test", "Mere Winegrower", MARLBOROUGH),
    SeedLogin("admin@te-hiku-oysters.test", "Hemi Oysterman", TE_HIKU),
    SeedLogin(f"admin@{AVOCADOS}.test", "Sam Orchardist", AVOCADOS),
    SeedLogin(f"admin@{KUMARA}.test", "Rewi Grower", KUMARA),
    SeedLogin(f"admin@{SEEDS}.test", "Fiona Seedgrower", SEEDS),
    SeedLogin(f"admin@{TOI}.test", "Moana Kaiwhakahaere", TOI),
    SeedLogin(f"admin@{BEER}.test", "Jess Brewer", BEER),
    SeedLogin(f"admin@{STEEL}.test", "Grant Fabricator", STEEL),
    SeedLogin(f"admin@{RONGOA}.test", "Ngaire Maker", RONGOA),
    SeedLogin(f"admin@{FAIR}.test", "Helen Stallholder", FAIR),
    SeedLogin(f"admin@{TOKOROA}.test", "Tina Chamber", TOKOROA),
)

TRADE_CLUSTERS = (MARLBOROUGH, BEER, STEEL)

STAFF_LOGIN_MEMBER = "wairau-terrace-wines"
STAFF_LOGIN_NAME = "Jordan Cellarhand"


def first_approved_member(cluster: str) -> SeedMember:
    """The first member approved in ``cluster`` with ``cluster`` as its first (home)
    cluster: the one whose owner gets a login."""
    return next(
        member
        for member in SEED_MEMBERS
        if member.memberships[0].cluster == cluster
        and member.memberships[0].status == Status.APPROVED
    )


def _owned_members(cluster: str) -> list[SeedMember]:
    """The members of ``cluster`` (their first, home cluster) whose owner has a
    login: the first approved one, and in ``TRADE_CLUSTERS`` every approved one."""
    first = first_approved_member(cluster)
    if cluster not in TRADE_CLUSTERS:
        return [first]
    return [first] + [
        member
        for member in SEED_MEMBERS
        if member is not first
        and member.memberships[0].cluster == cluster
        and member.memberships[0].status == Status.APPROVED
    ]


def member_logins() -> tuple[SeedLogin, ...]:
    """The owner logins (``_owned_members``) of each cluster, and the staff one."""
    owners = tuple(
        SeedLogin(
            f"owner@{member.slug}.test",
            member.contact_name,
            admin.cluster,
            member.slug,
            MemberRole.Role.OWNER,
        )
        for admin in CLUSTER_ADMIN_LOGINS
        for member in _owned_members(admin.cluster)
    )
    home = next(login.cluster for login in owners if login.member == STAFF_LOGIN_MEMBER)
    staff = SeedLogin(
        f"staff@{STAFF_LOGIN_MEMBER}.test",
        STAFF_LOGIN_NAME,
        home,
        STAFF_LOGIN_MEMBER,
        MemberRole.Role.STAFF,
    )
    return (*owners, staff)
