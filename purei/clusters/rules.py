"""What each cluster type must declare (design.md §2).

Traditional: at least one region and a specialisation. Local: at least one region.
Virtual: a specialisation. One pure function, used by forms, services and the API.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from purei.clusters.models import ClusterType


def type_rule_errors(
    *, cluster_type: str, region_count: int, specialisation: str
) -> dict[str, list[str]]:
    """Return field → messages for every rule the declaration breaks (empty if none)."""
    errors: dict[str, list[str]] = {}
    needs_region = cluster_type in {ClusterType.TRADITIONAL, ClusterType.LOCAL}
    needs_specialisation = cluster_type in {
        ClusterType.TRADITIONAL,
        ClusterType.VIRTUAL,
    }
    label = ClusterType(cluster_type).label if cluster_type in ClusterType else ""
    if needs_region and region_count < 1:
        errors["regions"] = [
            _("A %(type)s cluster shares a place: choose at least one region.")
            % {"type": label}
        ]
    if needs_specialisation and not specialisation.strip():
        errors["specialisation"] = [
            _(
                "A %(type)s cluster shares a specialisation: say what it is "
                "(an industry, a crop or a way of distributing)."
            )
            % {"type": label}
        ]
    return errors


# One line saying what each type of cluster shares (design.md §2).
TYPE_EXPLANATIONS: dict[str, Promise] = {
    ClusterType.TRADITIONAL: gettext_lazy(
        "Members share one place and one specialisation."
    ),
    ClusterType.VIRTUAL: gettext_lazy(
        "Members share one specialisation, wherever they are in the country."
    ),
    ClusterType.LOCAL: gettext_lazy(
        "Members share one place, whatever they make or sell."
    ),
}
