"""The demo's seed: the eleven clusters of design.md §2 and the demo logins.

The clusters and their lead organisations are fictional but plausible: the places,
crops and crafts are real, the organisations and people are not. A te reo Māori name
is given only where the cluster has a real one (``name_mi`` stays empty otherwise;
no invented translations).

``seed_load()`` writes them idempotently: a second run finds every row already as it
should be and changes nothing (not even ``updated_at``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from purei.accounts.models import ClusterRole, User
from purei.core.renditions import (
    EncodedRendition,
    rendition_files,
    renditions_store,
)
from purei.search.shelf import cluster_changed

from .brand_colours import brand_errors
from .models import Cluster, ClusterType, Region
from .models import LeadOrganisationKind as Kind
from .rules import type_rule_errors
from .search import cluster_search_text_refresh

DEMO_PASSWORD = "purei-demo"  # noqa: S105 - the demo's published password


@dataclass(frozen=True)
class SeedCluster:
    slug: str
    name_en: str
    type: ClusterType
    lead_org_kind: Kind
    lead_org_name: str
    regions: tuple[str, ...]
    specialisation: str
    tagline: str
    story: str
    name_mi: str = ""
    status: Cluster.Status = Cluster.Status.LIVE
    # The brand's colours (checked as the brand screen checks them).
    colour_primary: str = ""
    colour_accent: str = ""


@dataclass(frozen=True)
class DemoLogin:
    email: str
    full_name: str
    can: str  # what this login can do, printed when the demo starts
    is_staff: bool = False
    roles: tuple[tuple[str, ClusterRole.Role], ...] = field(default=())


def _story(*paragraphs: str) -> str:
    return "\n\n".join(" ".join(p.split()) for p in paragraphs)


SEED_CLUSTERS: tuple[SeedCluster, ...] = (
    # --- Traditional: one place, one specialisation ---------------------------
    SeedCluster(
        slug="marlborough-wine",
        colour_primary="#7a1f3d",
        colour_accent="#9a3412",
        name_en="Marlborough Wine",
        type=ClusterType.TRADITIONAL,
        lead_org_kind=Kind.INDUSTRY_BODY,
        lead_org_name="Wairau and Awatere Family Winegrowers",
        regions=("NZ-MBH",),
        specialisation="Wine: Sauvignon Blanc, Pinot Noir and aromatic whites",
        tagline="Family wineries of the Wairau and Awatere valleys, in one order.",
        story=_story(
            """Marlborough grows most of New Zealand's wine, yet much of it leaves the
            region in bulk under other people's labels. Our members are the small,
            family-owned wineries in between: a few hectares of vines on the stony
            Wairau plains near Renwick, a north-facing slope in the Southern Valleys,
            a windswept block in the Awatere near Seddon.""",
            """Long sunny days around Blenheim and cold nights keep the fruit bright,
            which is why Marlborough Sauvignon Blanc tastes the way it does. Our
            growers also make Pinot Noir, Riesling, Pinot Gris and Grüner Veltliner,
            most of it in runs too small for a supermarket buyer to notice.""",
            """Selling together, a customer can choose bottles from five wineries in
            one order and pay once; each winery sends its own bottles from its
            cellar door, and some have them ready to collect. The buyer confirms
            they are 18 or over, and ID is checked when the wine is handed over.
            Every member's off-licence and wine standards registration is checked
            by the cluster's admins and shown on the winery's page.""",
            """Restaurants, bottle shops and importers, here and in Australia, can
            open a trade account with the cluster. Once it is approved they see
            each winery's trade prices, without GST, by the case of six, in New
            Zealand or Australian dollars, and they can ask for one quote covering
            wine from several wineries: each winery prices its own wine, and the
            cluster sends a single quote for the buyer to accept or send back for
            a revision.""",
        ),
    ),
    SeedCluster(
        slug="te-hiku-oysters",
        colour_primary="#1f4e5f",
        colour_accent="#0f766e",
        name_en="Te Hiku Oysters",
        type=ClusterType.TRADITIONAL,
        lead_org_kind=Kind.TRUST,
        lead_org_name="Far North Shellfish Growers' Trust",
        regions=("NZ-NTL",),
        specialisation="Farmed Pacific and native rock oysters",
        tagline="Oysters from the harbours at the top of the North Island, "
        "opened the day they leave the water.",
        story=_story(
            """Te Hiku o te Ika, the tail of Māui's fish, is the far north of
            Aotearoa. Its sheltered harbours, Rangaunu, Houhora and Parengarenga,
            fill and empty with clean ocean water twice a day, and oysters have been
            grown on their tidal flats for generations.""",
            """Our members are whānau-run farms and small family businesses around
            Awanui, Houhora and Pukenui. They grow Pacific oysters on intertidal
            racks and, in smaller numbers, the native rock oyster, which is slower
            to grow and prized for its sweet, mineral taste.""",
            """Harvesting follows the water, not the calendar: after heavy rain the
            growing areas close until tests show the water is clean again. The
            cluster tells customers about closures as they happen and moves orders
            to the next harvest day instead of cancelling them.""",
            """Live and freshly shucked oysters travel chilled and overnight from
            Kaitāia to the rest of the country. One order can combine oysters from
            several farms, packed together and sent in one insulated box.""",
        ),
    ),
    SeedCluster(
        slug="bay-of-plenty-avocados",
        colour_primary="#3f5f1f",
        colour_accent="#8a4b08",
        name_en="Bay of Plenty Avocados",
        type=ClusterType.TRADITIONAL,
        lead_org_kind=Kind.BUSINESS_NETWORK,
        lead_org_name="Western Bay Orchard Network",
        regions=("NZ-BOP",),
        specialisation="Hass avocados",
        tagline="Orchard-gate avocados from Katikati to Te Puke, by the tray.",
        story=_story(
            """The Bay of Plenty is the country's biggest avocado-growing region.
            Between the Kaimai Range and the sea, from Katikati through Tauranga to
            Te Puke, volcanic soils and mild winters suit the trees, and tall
            shelterbelts keep off the wind.""",
            """Our members are family orchards, most of them under twenty hectares,
            that grow Hass and a few early and late varieties. The season runs from
            late winter into autumn; avocados ripen only after they are picked, so
            fruit leaves the orchard firm and softens on your bench.""",
            """Selling direct lets growers sell fruit that is perfect inside but too
            big, too small or a little marked on the skin for the export grade, so
            less of the crop goes to waste. Customers order a tray at a time and
            choose between two or three neighbouring orchards.""",
        ),
    ),
    SeedCluster(
        slug="kaipara-kumara",
        colour_primary="#8c3b1f",
        colour_accent="#7c2d12",
        name_en="Kaipara Kūmara",
        type=ClusterType.TRADITIONAL,
        lead_org_kind=Kind.BUSINESS_NETWORK,
        lead_org_name="Northern Wairoa Kūmara Growers",
        regions=("NZ-NTL",),
        specialisation="Kūmara (sweet potato)",
        tagline="Red, gold and orange kūmara from the river flats around Dargaville.",
        story=_story(
            """Kūmara came to Aotearoa with the first Polynesian voyagers, and Māori
            grew it for centuries in carefully tended gardens. Today most of the
            country's kūmara is grown in the Kaipara district, on the river flats
            and sandy hills along the Northern Wairoa River around Dargaville and
            Ruawai.""",
            """Our members are family growers, some on land their grandparents
            farmed. They plant in spring and dig from late summer into autumn, then
            cure and store the crop so that kūmara is available right through the
            winter.""",
            """Between them they grow the three kūmara New Zealanders know: the red
            Owairaka with its creamy white flesh, the golden Toka Toka Gold and the
            orange Beauregard. Their mixed boxes let you taste all three side by
            side.""",
        ),
    ),
    SeedCluster(
        slug="south-canterbury-small-seeds",
        colour_primary="#5b4a14",
        colour_accent="#9a3412",
        name_en="South Canterbury Small Seeds",
        type=ClusterType.TRADITIONAL,
        lead_org_kind=Kind.INDUSTRY_BODY,
        lead_org_name="South Canterbury Seed Producers' Group",
        regions=("NZ-CAN",),
        specialisation="Small seeds: vegetable, herb, clover and pasture seed",
        tagline="Seed grown on the plains between Timaru and Waimate, "
        "for gardens and farms.",
        story=_story(
            """The plains of Mid and South Canterbury grow seed for the world. Dry
            summers, cold winters and irrigation make it one of the best places
            anywhere to bring a seed crop to harvest, and a large share of the
            world's radish and carrot seed is grown here.""",
            """Our members farm between Timaru, Temuka, Geraldine and Waimate. Most
            of their crop is grown under contract for seed companies, with careful
            distances kept between paddocks so varieties stay pure and beehives
            brought in to pollinate.""",
            """Through the cluster they also sell what they grow directly: garden
            packets of vegetables and herbs, sprouting seed, and clover and pasture
            mixes sized for lifestyle blocks. Each packet names the farm that grew
            it and the season it was harvested.""",
        ),
    ),
    SeedCluster(
        slug="te-tauranga-toi",
        colour_primary="#7f1d1d",
        colour_accent="#1c1917",
        name_en="Māori Artists of Tauranga Moana",
        name_mi="Te Tauranga Toi",
        type=ClusterType.TRADITIONAL,
        lead_org_kind=Kind.ARTIST_COLLECTIVE,
        lead_org_name="Te Tauranga Toi Artists' Collective",
        regions=("NZ-BOP",),
        specialisation="Māori art: whakairo, raranga, painting and design",
        tagline="Carving, weaving, painting and design by Māori artists of "
        "Tauranga Moana.",
        story=_story(
            """Te Tauranga Toi brings together Māori artists who live and work around
            Tauranga Moana, the harbour sheltered by Mauao. Many whakapapa to the
            iwi of the rohe, Ngāi Te Rangi, Ngāti Ranginui and Ngāti Pūkenga; others
            have made their home here.""",
            """Our members work in whakairo (carving in wood, bone and pounamu),
            raranga (weaving with harakeke), painting, printmaking, jewellery and
            contemporary design. Each work is sold with its maker's name and the
            story they choose to share about it.""",
            """Some designs belong to whānau and hapū and are not for sale or
            reproduction; the collective's kaumātua advise members on what may be
            shared. Buying from the collective means buying authentic work directly
            from the artist, with the artist paid fairly for it.""",
        ),
    ),
    # --- Virtual: one specialisation, anywhere in the country ----------------
    SeedCluster(
        slug="aotearoa-craft-beer",
        colour_primary="#92400e",
        colour_accent="#1e40af",
        name_en="Aotearoa Craft Beer",
        type=ClusterType.VIRTUAL,
        lead_org_kind=Kind.ASSOCIATION,
        lead_org_name="Independent Craft Brewers Association",
        regions=(),
        specialisation="Craft beer from independent breweries",
        tagline="Independent breweries from Kaitāia to Invercargill, in one order.",
        story=_story(
            """New Zealand's independent brewers are spread across the country, from
            a brewpub in a Far North town to a warehouse brewery in Dunedin. Each
            is small on its own; together they make some of the most interesting
            beer in the world.""",
            """Many of our members brew with hops grown in the Nelson and Tasman
            region, varieties such as Nelson Sauvin, Motueka and Riwaka, which give
            New Zealand beer its bright, fruity character. Others specialise in
            lagers, sours or barrel-aged stouts.""",
            """A customer fills one cart from several breweries and pays once; each
            brewery sends its own beer fresh from the brewery, and the cluster pays
            each one its share. Every delivery is checked at the door so that beer
            only goes to someone 18 or over. Each brewery's off-licence is checked
            by the association and shown on its page; a licence that lapses stops
            showing as verified until it is renewed.""",
            """Bottle shops, bars and restaurants can open a trade account with the
            association. Once it is approved they see each brewery's trade prices,
            without GST, by the case of 24 cans, and the smallest first order the
            cluster takes; they can ask for one quote across several breweries,
            which each brewery prices and the cluster sends as one.""",
        ),
    ),
    SeedCluster(
        slug="nz-steel-fabricators",
        colour_primary="#334155",
        colour_accent="#b45309",
        name_en="NZ Steel Fabricators",
        type=ClusterType.VIRTUAL,
        lead_org_kind=Kind.BUSINESS_NETWORK,
        lead_org_name="Trans-Tasman Fabrication Network",
        regions=("NZ-AUK", "NZ-WKO", "NZ-MWT", "NZ-CAN"),
        specialisation="Structural steel, stairs, pipework and machined parts",
        tagline="Steel sections, stairs, spools and bearings from New Zealand "
        "workshops, in one shop.",
        story=_story(
            """New Zealand's engineering workshops have the skills and the machines,
            but each is small, and a builder who needs beams from one, a stair from
            another and bearings from a third spends a morning on the phone. Our
            members put their stock lengths, fittings and made-to-order parts in
            one shop.""",
            """Our members are engineering workshops in Auckland, Hamilton,
            Palmerston North and Christchurch. Between them they make beams,
            columns, portal frames, stairs and balustrades, pipe spools and
            machined parts such as bearing housings, all fabricated to the joint
            Australian and New Zealand standard.""",
            """A buyer fills one cart from several workshops and pays once, with the
            GST of each part shown; made-to-order parts show how long they take.
            Each workshop sends its own part by courier. Beams are too heavy for
            a courier: the buyer asks for a freight quote at checkout, the
            network prices the freight to the address, and the buyer pays once
            it is quoted, or declines. Every
            member's fabrication certificate is checked by the network and shown on
            its page until it lapses.""",
            """Builders, fabricators and distributors, here and in Australia, can
            open a trade account with the network. Once it is approved they see
            each workshop's trade prices, without GST, in New Zealand or Australian
            dollars. For a job that needs beams from one workshop, pipe from
            another and bearings from a third, they ask for one quote: each
            workshop prices its own lines, and the network sends a single quote
            with freight and insurance included, for the buyer to accept or send
            back for a revision.""",
        ),
    ),
    SeedCluster(
        slug="rongoa-natural-health",
        colour_primary="#14532d",
        colour_accent="#9a3412",
        name_en="Rongoā and Natural Health Products",
        type=ClusterType.VIRTUAL,
        lead_org_kind=Kind.TRUST,
        lead_org_name="Native Plant Makers' Trust",
        regions=(),
        specialisation="Natural health products and rongoā-based balms, teas and "
        "oils from native plants",
        tagline="Balms, teas and oils made from native plants by people who know them.",
        story=_story(
            """Rongoā Māori is the traditional Māori system of healing, and native
            plants such as kawakawa, kūmarahou, mānuka and harakeke are at its
            heart. Our members include rongoā practitioners and Māori-owned small
            businesses, along with natural health makers who work with them.""",
            """They make kawakawa balm, mānuka and harakeke skincare, herbal teas
            and infused oils in small batches. Plants are gathered with the
            permission of landowners and mana whenua, and harvested so that the
            plants and the places they grow in stay healthy.""",
            """The cluster keeps labelling honest and consistent: every product lists
            its ingredients and where they came from, and none claims to cure or
            treat illness. Customers can buy from several makers in one order, and
            learn who made each product and how.""",
        ),
    ),
    # --- Local: one place, many kinds of business ----------------------------
    SeedCluster(
        slug="martinborough-fair",
        colour_primary="#6b21a8",
        colour_accent="#9d174d",
        name_en="Martinborough Fair Stallholders",
        type=ClusterType.LOCAL,
        lead_org_kind=Kind.ASSOCIATION,
        lead_org_name="Martinborough Fair Stallholders' Association",
        regions=("NZ-WGN",),
        specialisation="",
        tagline="The stalls of the Wairarapa's big country fair, open between "
        "fair days.",
        story=_story(
            """Each summer the streets around Martinborough's Square fill with
            stalls for the Martinborough Fair, and visitors come over the Remutaka
            hill from Wellington and up the valley from the rest of the Wairarapa.
            The town's streets, laid out in the shape of a Union Jack, make one
            big loop of stalls.""",
            """Our members are the fair's regular stallholders: potters, jewellers,
            woodturners, preserve makers, olive growers, plant nurseries, clothing
            designers and food trucks. Most are from the Wairarapa and the lower
            North Island.""",
            """Between fairs, the cluster keeps the stalls open online. Customers can
            buy from several stallholders in one order and have it delivered, or
            order ahead and pick everything up from one collection point on fair
            day. A basket from several stallholders can also come as one parcel
            from the association's depot on the Square, for one delivery charge:
            stallholders bring their parts there by Thursday noon.""",
        ),
    ),
    SeedCluster(
        slug="tokoroa-makers",
        colour_primary="#1e40af",
        colour_accent="#9a3412",
        name_en="Tokoroa Businesses and Artisans",
        type=ClusterType.LOCAL,
        lead_org_kind=Kind.CHAMBER,
        lead_org_name="Tokoroa and Districts Business Chamber",
        regions=("NZ-WKO",),
        specialisation="",
        tagline="Makers, growers and shops of Tokoroa, in one place online.",
        story=_story(
            """Tokoroa grew up around the Kinleith mill and the plantation forests of
            the South Waikato. It is a young, proud and diverse town, home to one of
            the largest Cook Islands communities in New Zealand, with its streets
            watched over by the carved Talking Poles.""",
            """Our members are the town's small businesses and artisans: a timber
            joinery, a bakery, a beekeeper, tīvaevae quilters, carvers, a screen
            printer, an engineering shop and a café or two. What they share is not a
            product but a place.""",
            """Together they sell online under one Tokoroa brand, run shared
            promotions, and give customers one checkout for everything from a jar
            of local honey to a hand-stitched tīvaevae.""",
        ),
    ),
)


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        email="staff@purei.test",
        full_name="Aroha Platform",
        is_staff=True,
        can="platform staff: review cluster applications, use the admin at /admin/",
    ),
    DemoLogin(
        email="admin@marlborough-wine.test",
        full_name="Mere Winegrower",
        roles=(("marlborough-wine", ClusterRole.Role.ADMIN),),
        can="cluster admin of Marlborough Wine: run that cluster (and only that one)",
    ),
    DemoLogin(
        email="admin@te-hiku-oysters.test",
        full_name="Hemi Oysterman",
        roles=(("te-hiku-oysters", ClusterRole.Role.ADMIN),),
        can="cluster admin of Te Hiku Oysters: run that cluster (and only that one)",
    ),
    DemoLogin(
        email="curator@marlborough-wine.test",
        full_name="Tom Curator",
        roles=(("marlborough-wine", ClusterRole.Role.CURATOR),),
        can="curator of Marlborough Wine: approve its members' listings",
    ),
    DemoLogin(
        email="shopper@purei.test",
        full_name="Ana Shopper",
        can="a customer: past orders with their invoices at /accounts/orders/",
    ),
    # Trade buyers (their accounts and quotes: purei.trade.seed).
    DemoLogin(
        email="trade@riverbank-steel.test",
        full_name="Kylie Brennan",
        can="trade buyer for Riverbank Steel, Brisbane (approved by NZ Steel "
        "Fabricators, buys in AUD): its trade prices, and a quote DAP Brisbane for "
        "beams, pipe and bearings from three workshops to accept or send back for "
        "a revision, from /c/nz-steel-fabricators/trade/",
    ),
    DemoLogin(
        email="trade@harbourside-wine.test",
        full_name="Marco Russo",
        can="trade buyer for Harbourside Wine Imports, Sydney (approved by "
        "Marlborough Wine, buys in AUD): its trade prices, and a quote FOB Nelson "
        "for wine from five wineries to accept or send back for a revision, from "
        "/c/marlborough-wine/trade/",
    ),
    DemoLogin(
        email="trade@dominion-road-bottle-store.test",
        full_name="Anjali Desai",
        can="trade buyer for Dominion Road Bottle Store, Auckland (approved by "
        "Aotearoa Craft Beer, buys in NZD, 20th of the month following): its trade "
        "prices, a request for a quote still waiting for Ninety Mile Brewing's "
        "price, and its statement of account — an opening order paid, one on "
        "account overdue, one due on the 20th — from /c/aotearoa-craft-beer/trade/",
    ),
    DemoLogin(
        email="trade@wakatipu-kitchen.test",
        full_name="Sophie Tait",
        can="applied for a trade account with Marlborough Wine for Wakatipu Kitchen, "
        "Queenstown: waits for the cluster's admin to approve or decline it, and "
        "sees no trade price until then",
    ),
)


class SeedError(Exception):
    """A seed cluster breaks a rule (type rules, unknown region)."""


def seed_errors(seeds: tuple[SeedCluster, ...] | None = None) -> list[str]:
    """Every problem with the seed data, as readable lines (empty if none)."""
    seeds = SEED_CLUSTERS if seeds is None else seeds
    problems: list[str] = []
    known = set(Region.objects.values_list("code", flat=True))
    for seed in seeds:
        errors = type_rule_errors(
            cluster_type=seed.type,
            region_count=len(seed.regions),
            specialisation=seed.specialisation,
        )
        for name, messages in errors.items():
            problems.extend(f"{seed.slug}: {name}: {message}" for message in messages)
        problems.extend(
            f"{seed.slug}: regions: unknown region {code}"
            for code in seed.regions
            if code not in known
        )
        for name, messages in brand_errors(
            seed.colour_primary, seed.colour_accent
        ).items():
            problems.extend(f"{seed.slug}: {name}: {message}" for message in messages)
    return problems


def _cluster_load(seed: SeedCluster, regions: dict[str, Region]) -> bool:
    """Create or update one cluster; return whether anything changed."""
    values = {
        "name_en": seed.name_en,
        "name_mi": seed.name_mi,
        "type": seed.type.value,
        "lead_org_kind": seed.lead_org_kind.value,
        "lead_org_name": seed.lead_org_name,
        "specialisation": seed.specialisation,
        "tagline": seed.tagline,
        "story": seed.story,
        "status": seed.status.value,
        "colour_primary": seed.colour_primary,
        "colour_accent": seed.colour_accent,
    }
    cluster = Cluster.objects.filter(slug=seed.slug).first()
    created = cluster is None
    if cluster is None:
        cluster = Cluster(slug=seed.slug)
    changed = [
        name for name, value in values.items() if getattr(cluster, name) != value
    ]
    for name in changed:
        setattr(cluster, name, values[name])
    old_search_text = cluster.search_text
    cluster_search_text_refresh(cluster)
    if cluster.search_text != old_search_text:
        changed.append("search_text")
    if created:
        cluster.save()
    elif changed:
        cluster.save(update_fields=[*changed, "updated_at"])
    if created or changed:
        cluster_changed(
            cluster_id=cluster.pk,
            live=cluster.status == Cluster.Status.LIVE,
            names=(cluster.name_en, cluster.name_mi),
        )
    wanted = {regions[code].pk for code in seed.regions}
    have = {region.pk for region in cluster.regions.all()}
    if wanted != have:
        cluster.regions.set(wanted)
    return created or bool(changed) or wanted != have


def _login_load(login: DemoLogin, clusters: dict[str, Cluster]) -> bool:
    """Create or update one demo login and its roles; return whether it changed."""
    user = User.objects.filter(email=login.email).first()
    changed = user is None
    if user is None:
        user = User(email=login.email)
    wanted = {
        "full_name": login.full_name,
        "is_staff": login.is_staff,
        "is_superuser": login.is_staff,
        "is_active": True,
    }
    for name, value in wanted.items():
        if getattr(user, name) != value:
            setattr(user, name, value)
            changed = True
    # Set the password only when it is not already the demo's, so it is always
    # known without writing a new hash on every run.
    if not user.has_usable_password() or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        changed = True
    if changed:
        user.save()
    for slug, role in login.roles:
        _, created = ClusterRole.objects.get_or_create(
            user=user, cluster=clusters[slug], role=role
        )
        changed = changed or created
    return changed


@transaction.atomic
def seed_load() -> int:
    """Load the seed clusters and demo logins; return how many rows changed.

    Raises ``SeedError`` (and writes nothing) if any seed cluster breaks a rule.
    """
    problems = seed_errors()
    if problems:
        raise SeedError("\n".join(problems))
    regions = {region.code: region for region in Region.objects.all()}
    changes = sum(_cluster_load(seed, regions) for seed in SEED_CLUSTERS)
    clusters = {
        cluster.slug: cluster
        for cluster in Cluster.objects.filter(
            slug__in=[seed.slug for seed in SEED_CLUSTERS]
        )
    }
    changes += sum(_login_load(login, clusters) for login in DEMO_LOGINS)
    return changes


# --- The demo clusters' pictures (drawn by the catalogue's seed) ------------------


@dataclass(frozen=True)
class SeedPicture:
    """A picture for a seed cluster, encoded: the name to keep it under (it names
    the drawing, so a changed drawing gets a new one), the original's bytes, its
    renditions and, for a hero, what it shows."""

    name: str
    original: bytes
    renditions: tuple[EncodedRendition, ...]
    alt: str = ""


# Each picture field and the field keeping its renditions.
_PICTURE_FIELDS = (("logo", "logo_renditions"), ("hero_image", "hero_renditions"))


def _picture_store(
    cluster: Cluster, field: str, rendered: str, picture: SeedPicture
) -> bool:
    """Keep ``picture`` in the cluster's ``field`` unless it already is; the files
    of an earlier drawing go. Whether it changed."""
    file = getattr(cluster, field)
    old_renditions = list(getattr(cluster, rendered) or [])
    if file.name == picture.name and old_renditions:
        return False
    old_name = file.name or ""
    if default_storage.exists(picture.name):  # drawn before (same name, same drawing)
        name = picture.name
    else:
        name = default_storage.save(picture.name, ContentFile(picture.original))
    file.name = name
    made = renditions_store(name, picture.renditions)
    setattr(cluster, rendered, made)
    stale = set(rendition_files(old_renditions)) - set(rendition_files(made))
    if old_name and old_name != name:
        stale.add(old_name)
    for stale_name in sorted(stale):
        default_storage.delete(stale_name)
    return True


@transaction.atomic
def cluster_pictures_seed_load(
    pictures: Mapping[str, tuple[SeedPicture, SeedPicture]],
) -> int:
    """Give each seed cluster (by slug) its logo and hero image, ``(logo,
    hero)``, with their renditions; a picture already kept under its name stays
    as it is. Returns how many clusters changed."""
    changes = 0
    for cluster in Cluster.objects.filter(slug__in=list(pictures)).order_by("pk"):
        logo, hero = pictures[cluster.slug]
        changed: list[str] = []
        for (name, rendered), picture in zip(
            _PICTURE_FIELDS, (logo, hero), strict=True
        ):
            if _picture_store(cluster, name, rendered, picture):
                changed += [name, rendered]
        if cluster.hero_alt != hero.alt:
            cluster.hero_alt = hero.alt
            changed.append("hero_alt")
        if changed:
            cluster.save(update_fields=[*changed, "updated_at"])
            # Pages showing the cluster (cached by catalogue version) go stale.
            cluster_changed(
                cluster_id=cluster.pk, live=cluster.status == Cluster.Status.LIVE
            )
            changes += 1
    return changes
