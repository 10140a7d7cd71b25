import io
from typing import Any, cast

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from factory.django import DjangoModelFactory
from PIL import Image

from purei.clusters.models import (
    Cluster,
    ClusterApplication,
    ClusterType,
    LeadOrganisationKind,
    Region,
)
from purei.clusters.search import CLUSTER_SEARCH_FIELDS
from purei.clusters.services import ApplicationInput
from purei.core.text import fold
from purei.search.shelf import cluster_changed


def region(code: str) -> Region:
    """Regions are loaded by a migration; tests look them up by ISO code."""
    return Region.objects.get(code=code)


class ClusterFactory(DjangoModelFactory[Cluster]):
    class Meta:
        model = Cluster
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"cluster-{n}")
    name_en = factory.Sequence(lambda n: f"Test cluster {n}")
    type = ClusterType.TRADITIONAL
    lead_org_kind = LeadOrganisationKind.INDUSTRY_BODY
    lead_org_name = factory.Sequence(lambda n: f"Growers Association {n}")
    specialisation = "Wine"
    tagline = "Made together"
    story = "A group of makers."
    status = Cluster.Status.LIVE
    search_text = factory.LazyAttribute(
        lambda o: fold(" ".join(str(getattr(o, n, "")) for n in CLUSTER_SEARCH_FIELDS))
    )

    @factory.post_generation
    def regions(self, create: bool, extracted: list[str] | None, **kwargs: object):
        if not create:
            return
        codes = extracted if extracted is not None else ["NZ-MBH"]
        self.regions.set(Region.objects.filter(code__in=codes))

    @factory.post_generation
    def shelf(obj: Cluster, create: bool, extracted: object, **kwargs: object) -> None:
        """Tell the search app whether the cluster is live, as its services do."""
        if create:
            cluster_changed(
                cluster_id=obj.pk,
                live=obj.status == Cluster.Status.LIVE,
                names=(obj.name_en, obj.name_mi),
            )


class ClusterApplicationFactory(DjangoModelFactory[ClusterApplication]):
    class Meta:
        model = ClusterApplication
        skip_postgeneration_save = True

    contact_name = factory.Faker("name")
    contact_email = factory.Sequence(lambda n: f"founder{n}@example.nz")
    lead_org_kind = LeadOrganisationKind.CHAMBER
    lead_org_name = "Tokoroa Chamber of Commerce"
    proposed_name_en = factory.Sequence(lambda n: f"Proposed cluster {n}")
    cluster_type = ClusterType.LOCAL
    specialisation = ""
    expected_members = 12

    @factory.post_generation
    def regions(self, create: bool, extracted: list[str] | None, **kwargs: object):
        if not create:
            return
        codes = extracted if extracted is not None else ["NZ-WKO"]
        self.regions.set(Region.objects.filter(code__in=codes))


def application_data(**overrides: object) -> dict[str, object]:
    """A valid application (a Local cluster in Waikato), as services and API take it."""
    data: dict[str, object] = {
        "contact_name": "Aroha Ngata",
        "contact_email": "aroha@tokoroa.example.nz",
        "contact_phone": "07 886 0000",
        "lead_org_kind": LeadOrganisationKind.CHAMBER.value,
        "lead_org_name": "Tokoroa Chamber of Commerce",
        "proposed_name_en": "Tokoroa Makers",
        "proposed_name_mi": "",
        "cluster_type": ClusterType.LOCAL.value,
        "regions": ["NZ-WKO"],
        "specialisation": "",
        "expected_members": 24,
        "about": "Businesses and artisans of Tokoroa selling together.",
        "finder_answers": {"shared_place": True, "shared_specialisation": False},
    }
    data.update(overrides)
    return data


def application_input(**overrides: object) -> ApplicationInput:
    """A valid application (see ``application_data``), as the service takes it."""
    return ApplicationInput(**cast("dict[str, Any]", application_data(**overrides)))


def image_upload(
    name: str = "logo.png",
    size: tuple[int, int] = (200, 200),
    fmt: str = "PNG",
    exif: bool = False,
) -> SimpleUploadedFile:
    """A real little image made with Pillow, as a browser would upload it."""
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (11, 93, 75))
    options: dict[str, object] = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "Secret camera maker"  # Make
        options["exif"] = data.tobytes()
    image.save(buffer, format=fmt, **options)
    return SimpleUploadedFile(
        name, buffer.getvalue(), content_type=f"image/{fmt.lower()}"
    )
