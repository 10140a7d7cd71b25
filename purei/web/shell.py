"""The shell of the manage screens: the heading, breadcrumb and tabs that every
screen of a cluster admin (``/manage/clusters/<slug>/…``) and of a member business
(``/manage/members/<slug>/…``) shows, whichever app serves the screen.

It knows the screens by their URL names only, never by importing the apps that
serve them, so every app's views can use it (``web`` sits just above ``core``;
docs/architecture.md). What the member's header needs from the members app (the
actor's role, the clusters it shows in) is handed in as a ``MemberTeam`` that the
caller got from ``purei.members.selectors.member_team_for``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Tab:
    key: str
    url: str
    label: str | Promise
    current: bool


# (key, URL name, label): the tabs of a cluster admin's screens, in order.
CLUSTER_TABS: tuple[tuple[str, str, Promise], ...] = (
    ("overview", "members:cluster-overview", _("Overview")),
    ("members", "members:cluster-members", _("Members")),
    ("people", "clusters:manage-people", _("People")),
    ("brand", "clusters:manage-brand", _("Brand")),
    ("money", "clusters:manage-money", _("Money")),
    ("money-accounts", "clusters:manage-money-accounts", _("Money accounts")),
    ("listing-rules", "clusters:manage-listing-rules", _("Listing rules")),
    ("activity", "clusters:manage-activity", _("Activity")),
    ("listings", "catalogue:listing-queue", _("Listings")),
    ("orders", "orders:cluster-orders", _("Orders")),
    ("shipping", "orders:cluster-shipping", _("Shipping")),
    ("pickup-events", "orders:pickup-events", _("Pickup events")),
    ("windows", "orders:cluster-windows", _("Windows")),
    ("promotions", "promotions:cluster-promotions", _("Promotions")),
    ("payouts", "ledger:cluster-payouts", _("Payouts")),
    ("reports", "ledger:cluster-reports", _("Reports")),
    ("insights", "insights:cluster-dashboard", _("Insights")),
    ("trade", "trade:cluster-accounts", _("Trade")),
    ("stories", "marketing:manage-stories", _("Stories")),
    ("newsletter", "marketing:manage-newsletter", _("Newsletter")),
    ("together", "cooperation:board", _("Working together")),
    ("reviews", "marketing:manage-reviews", _("Reviews")),
    ("api-keys", "apikeys:cluster-keys", _("API keys")),
    ("webhooks", "webhooks:cluster-webhooks", _("Webhooks")),
)

# The tabs of a member business's screens; ``team`` only for its owners (and
# platform staff).
MEMBER_TABS: tuple[tuple[str, str, Promise], ...] = (
    ("profile", "members:manage", _("Profile")),
    ("photos", "members:photos", _("Photos")),
    ("credentials", "members:credentials", _("Credentials")),
    ("products", "catalogue:products", _("Products")),
    ("orders", "orders:member-orders", _("Orders")),
    ("windows", "orders:member-windows", _("Windows")),
    ("shipping", "orders:member-shipping", _("Shipping")),
    ("promotions", "promotions:member-promotions", _("Promotions")),
    ("money", "ledger:member-money", _("Money")),
    ("insights", "insights:member-dashboard", _("Insights")),
    ("trade", "trade:member-rfqs", _("Trade")),
    ("embed", "marketing:member-embed", _("Embed")),
    ("together", "cooperation:member-together", _("Working together")),
    ("reviews", "marketing:member-reviews", _("Reviews")),
    ("staff", "members:staff", _("Team")),
    ("api-keys", "apikeys:member-keys", _("API keys")),
    ("data", "privacy:member-data", _("Your data")),
    ("webhooks", "webhooks:member-webhooks", _("Webhooks")),
)
OWNERS_ONLY = frozenset({"staff", "api-keys", "data", "webhooks"})
# The business's own data leaves with its owners only (docs/privacy.md).
OWNERS_NOT_PLATFORM = frozenset({"data"})
# Not for platform staff looking in: the members' own space (ADR 0017) and the
# business's API keys and webhooks (only its owners manage them, ADR 0019).
TEAM_ONLY = frozenset({"together", "api-keys", "webhooks"})


def _tabs(
    spec: Sequence[tuple[str, str, Promise]], slug: str, section: str
) -> list[Tab]:
    return [
        Tab(key, reverse(name, kwargs={"slug": slug}), label, key == section)
        for key, name, label in spec
    ]


def cluster_manage_context(cluster: Any, section: str, **more: Any) -> dict[str, Any]:
    """What a cluster admin's screen needs for its shell (``cluster`` is the
    ``Cluster`` the screen is about; ``section`` the key of its tab)."""
    return {
        "cluster": cluster,
        "section": section,
        "tabs": _tabs(CLUSTER_TABS, cluster.slug, section),
        **more,
    }


@dataclass(frozen=True)
class MemberTeam:
    """The acting person's place in a member business's team, for its header."""

    role: str | None  # "owner", "staff" or None (platform staff looking in)
    approved_clusters: Sequence[Any]  # the clusters its public pages are in
    is_platform_staff: bool = False

    @property
    def is_owner(self) -> bool:
        return self.role == "owner"


def member_manage_context(
    *, member: Any, section: str, team: MemberTeam, **more: Any
) -> dict[str, Any]:
    """What a member business's screen needs for its shell."""
    shows_team = team.is_owner or team.is_platform_staff
    spec = [
        tab
        for tab in MEMBER_TABS
        if (shows_team or tab[0] not in OWNERS_ONLY)
        and (team.role is not None or tab[0] not in TEAM_ONLY)
        and (team.is_owner or tab[0] not in OWNERS_NOT_PLATFORM)
    ]
    return {
        "member": member,
        "section": section,
        "tabs": _tabs(spec, member.slug, section),
        "is_owner": team.is_owner,
        "role": team.role,
        "approved_clusters": team.approved_clusters,
        **more,
    }
