"""Loading the demo's member businesses (data in ``data.py``).

``member_seed_load()`` runs after the cluster seed (``purei.clusters.seed``) and
writes, for each seed cluster, its member businesses, their memberships and
credentials, one admin login, the owner login of its first approved member (of
every approved member in the clusters the demo's trade story runs in, so each can
price its own lines), and one member staff login. Like the cluster seed it is
idempotent: a row is written only when it differs from the seed, so a second run
changes nothing (not even ``updated_at``), and a run after someone edited a seed
row puts it back.

Identifiers go through the same format rules as the profile form
(``purei.core.validators``) and are stored in the same normalised form; the
story is rendered with ``purei.members.story.render_story`` and the search text
built with ``purei.members.services.member_search_text``, exactly as a member's own
edit would.

The demo password is hashed once per run and the hash shared by every seed login
created in that run (checking it is then one hash, not one per login): Argon2 is
slow on purpose, and the whole seed should take well under three seconds.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import check_password, make_password
from django.db import models, transaction
from django.utils import timezone

from purei.accounts.models import ClusterRole, MemberRole, User
from purei.clusters.models import Cluster, Region
from purei.clusters.seed import DEMO_LOGINS, DEMO_PASSWORD, SEED_CLUSTERS
from purei.core.validators import (
    FormatError,
    bank_account_normalise,
    ird_number_normalise,
    nzbn_normalise,
)
from purei.members.models import Credential, Member, Membership
from purei.members.services import member_maker_text, member_search_text
from purei.members.story import render_story
from purei.search.cache import catalogue_changed_on_commit
from purei.search.makers import maker_changed
from purei.search.shelf import membership_changed

from .data import (
    CLUSTER_ADMIN_LOGINS,
    SEED_MEMBERS,
    Expiry,
    SeedCredential,
    SeedLogin,
    SeedMember,
    SeedMembership,
    member_logins,
)

__all__ = [
    "CLUSTER_ADMIN_LOGINS",
    "MAX_MEMBERS_PER_CLUSTER",
    "MIN_MEMBERS_PER_CLUSTER",
    "SEED_MEMBERS",
    "ClusterLogins",
    "MemberSeedError",
    "demo_logins_by_cluster",
    "member_logins",
    "member_seed_errors",
    "member_seed_load",
    "seed_login_count",
]

MIN_MEMBERS_PER_CLUSTER = 4
MAX_MEMBERS_PER_CLUSTER = 12
SEED_TIME_ZONE = ZoneInfo("Pacific/Auckland")
COORDINATE_PLACES = Decimal("0.000001")


class MemberSeedError(Exception):
    """The member seed breaks a rule (a bad identifier, an unknown cluster …)."""


# --- Checking the seed -----------------------------------------------------------


def _identifier_errors(seed: SeedMember) -> list[str]:
    checks: list[tuple[str, str, Callable[[str], str]]] = [
        ("nzbn", seed.nzbn, nzbn_normalise),
        ("bank_account", seed.bank_account, bank_account_normalise),
    ]
    if seed.gst_number:
        checks.append(("gst_number", seed.gst_number, ird_number_normalise))
    problems = []
    for name, value, normalise in checks:
        try:
            normalise(value)
        except FormatError as exc:
            problems.append(f"{seed.slug}: {name}: {exc.message}")
    return problems


def member_seed_errors() -> list[str]:
    """Every problem with the member seed, as readable lines (empty if none)."""
    problems: list[str] = []
    clusters = {cluster.slug for cluster in SEED_CLUSTERS}
    known_regions = set(Region.objects.values_list("code", flat=True))
    for field in ("slug", "nzbn"):
        counts = Counter(getattr(seed, field) for seed in SEED_MEMBERS)
        problems.extend(
            f"{value}: {field} used {count} times"
            for value, count in counts.items()
            if count > 1
        )
    per_cluster: Counter[str] = Counter()
    for seed in SEED_MEMBERS:
        problems.extend(_identifier_errors(seed))
        if seed.region not in known_regions:
            problems.append(f"{seed.slug}: region: unknown region {seed.region}")
        if not seed.memberships:
            problems.append(f"{seed.slug}: memberships: none")
        for membership in seed.memberships:
            if membership.cluster not in clusters:
                problems.append(
                    f"{seed.slug}: memberships: unknown cluster {membership.cluster}"
                )
            per_cluster[membership.cluster] += 1
    for slug in sorted(clusters):
        if not MIN_MEMBERS_PER_CLUSTER <= per_cluster[slug] <= MAX_MEMBERS_PER_CLUSTER:
            problems.append(
                f"{slug}: {per_cluster[slug]} members, not "
                f"{MIN_MEMBERS_PER_CLUSTER} to {MAX_MEMBERS_PER_CLUSTER}"
            )
    admin_clusters = {login.cluster for login in CLUSTER_ADMIN_LOGINS}
    problems.extend(
        f"{slug}: no admin login" for slug in sorted(clusters - admin_clusters)
    )
    return problems


# --- Writing rows only when they differ ------------------------------------------


def _assign(instance: models.Model, values: dict[str, Any]) -> list[str]:
    """Set the ``values`` that differ on ``instance``; return their names."""
    changed = [
        name for name, value in values.items() if getattr(instance, name) != value
    ]
    for name in changed:
        setattr(instance, name, values[name])
    return changed


def _save(instance: models.Model, changed: list[str]) -> bool:
    """Save ``instance`` if it is new or ``changed`` names any field; say if it did."""
    if instance.pk is None:
        instance.save()
        return True
    if changed:
        timestamp = ["updated_at"] if hasattr(instance, "updated_at") else []
        instance.save(update_fields=[*changed, *timestamp])
    return bool(changed)


class _DemoPassword:
    """The demo password, hashed at most once per run and checked once per hash."""

    def __init__(self) -> None:
        self._encoded = ""
        self._checked: dict[str, bool] = {}

    def encoded(self) -> str:
        if not self._encoded:
            self._encoded = make_password(DEMO_PASSWORD)
            self._checked[self._encoded] = True
        return self._encoded

    def matches(self, encoded: str) -> bool:
        if encoded not in self._checked:
            self._checked[encoded] = bool(encoded) and check_password(
                DEMO_PASSWORD, encoded
            )
        return self._checked[encoded]


def _user_load(
    login: SeedLogin, users: dict[str, User], password: _DemoPassword
) -> bool:
    """Create or update one demo login; return whether anything changed."""
    user = users.get(login.email) or User(email=login.email)
    changed = _assign(
        user,
        {
            "full_name": login.full_name,
            "is_staff": False,
            "is_superuser": False,
            "is_active": True,
        },
    )
    if not password.matches(user.password):
        user.password = password.encoded()
        changed.append("password")
    users[login.email] = user
    return _save(user, changed)


def _at(iso_date: str, hour: int = 10) -> datetime.datetime:
    """10 am New Zealand time on ``iso_date``."""
    day = datetime.date.fromisoformat(iso_date)
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SEED_TIME_ZONE)


def _expiry(expires: Expiry | None, today: datetime.date) -> datetime.date | None:
    if expires is None:
        return None
    years, month, day = expires
    return datetime.date(today.year + years, month, day)


def _member_load(
    seed: SeedMember, member: Member | None, region: Region
) -> tuple[Member, bool]:
    """Create or update one member business (``member`` is its row, if any);
    return it and whether anything changed."""
    member = member or Member(slug=seed.slug)
    changed = _assign(
        member,
        {
            "legal_name": seed.legal_name,
            "trading_name": seed.trading_name,
            "nzbn": nzbn_normalise(seed.nzbn),
            "gst_registered": seed.gst_registered,
            "gst_number": (
                ird_number_normalise(seed.gst_number) if seed.gst_number else ""
            ),
            "in_trade": True,
            "story": seed.story,
            "town": seed.town,
            "latitude": Decimal(seed.latitude).quantize(COORDINATE_PLACES),
            "longitude": Decimal(seed.longitude).quantize(COORDINATE_PLACES),
            "contact_name": seed.contact_name,
            "email": seed.email,
            "phone": seed.phone,
            "website": seed.website,
            "bank_account": bank_account_normalise(seed.bank_account),
            "bank_account_name": seed.legal_name,
        },
    )
    if member.region_id != region.pk:
        member.region = region
        changed.append("region")
    # Computed from the fields just set, as a member's own edit computes them.
    changed += _assign(
        member,
        {
            "story_html": render_story(member.story),
            "search_text": member_search_text(member),
        },
    )
    saved = _save(member, changed)
    if saved:
        # As a member's own edit does: its products are found by its new text.
        maker_changed(member_maker_text(member))
    return member, saved


def _membership_load(
    seed: SeedMembership,
    membership: Membership | None,
    member: Member,
    cluster: Cluster,
    admin: User,
) -> bool:
    membership = membership or Membership(member=member, cluster=cluster)
    decided = seed.decided_on is not None
    changed = _assign(
        membership,
        {
            "status": seed.status.value,
            "applied_at": _at(seed.applied_on),
            "decided_at": _at(seed.decided_on) if seed.decided_on else None,
            "decided_by_id": admin.pk if decided else None,
            "reason": seed.reason,
            "left_at": None,
        },
    )
    saved = _save(membership, changed)
    if saved:
        membership_changed(
            member_id=member.pk,
            cluster_id=cluster.pk,
            open=membership.status == Membership.Status.APPROVED,
        )
    return saved


def _credential_load(
    seed: SeedCredential,
    credential: Credential | None,
    member: Member,
    home: SeedMembership,
    verifiers: dict[str, User],
    clusters: dict[str, Cluster],
    today: datetime.date,
) -> bool:
    """Create or update one credential, verified (if it is) in the member's first
    cluster, by that cluster's admin, on the day the member was approved there."""
    credential = credential or Credential(
        member=member, kind=seed.kind.value, number=seed.number
    )
    verified = seed.verification == Credential.Verification.VERIFIED
    changed = _assign(
        credential,
        {
            "name": seed.name,
            "issuer": seed.issuer,
            "expires_on": _expiry(seed.expires, today),
            "verification": seed.verification.value,
            "verified_by_id": verifiers[home.cluster].pk if verified else None,
            "verified_in_id": clusters[home.cluster].pk if verified else None,
            "verified_at": (
                _at(home.decided_on or home.applied_on, 11) if verified else None
            ),
            "verification_note": "",
        },
    )
    return _save(credential, changed)


# --- Loading ---------------------------------------------------------------------


def _cluster_seed_emails() -> set[str]:
    """Logins the cluster seed writes (this seed only looks them up)."""
    return {login.email for login in DEMO_LOGINS}


@transaction.atomic
def member_seed_load() -> int:
    """Load the demo's member businesses and logins; return how many rows changed.

    Call it after ``purei.clusters.seed.seed_load()``. Raises ``MemberSeedError``
    (and writes nothing) if the seed breaks a rule or a seed cluster is missing.
    """
    problems = member_seed_errors()
    clusters = {
        cluster.slug: cluster
        for cluster in Cluster.objects.filter(
            slug__in=[seed.slug for seed in SEED_CLUSTERS]
        )
    }
    problems += [
        f"{seed.slug}: cluster not loaded (run the cluster seed first)"
        for seed in SEED_CLUSTERS
        if seed.slug not in clusters
    ]
    if problems:
        raise MemberSeedError("\n".join(problems))
    today = timezone.localdate()
    password = _DemoPassword()
    changes = 0

    # Logins: one admin per cluster, then the member owners and staff.
    logins = (*CLUSTER_ADMIN_LOGINS, *member_logins())
    users = {
        user.email: user
        for user in User.objects.filter(email__in=[login.email for login in logins])
    }
    owned_elsewhere = _cluster_seed_emails()
    for login in logins:
        if login.email not in owned_elsewhere or login.email not in users:
            changes += _user_load(login, users, password)
    admins = {login.cluster: users[login.email] for login in CLUSTER_ADMIN_LOGINS}
    have_roles = set(
        ClusterRole.objects.filter(role=ClusterRole.Role.ADMIN).values_list(
            "user_id", "cluster_id"
        )
    )
    for slug, admin in admins.items():
        if (admin.pk, clusters[slug].pk) not in have_roles:
            ClusterRole.objects.create(
                user=admin, cluster=clusters[slug], role=ClusterRole.Role.ADMIN
            )
            changes += 1

    # Member businesses.
    regions = {region.code: region for region in Region.objects.all()}
    existing = {
        member.slug: member
        for member in Member.objects.filter(
            slug__in=[seed.slug for seed in SEED_MEMBERS]
        ).select_related("region")
    }
    members: dict[str, Member] = {}
    for seed in SEED_MEMBERS:
        member, changed = _member_load(
            seed, existing.get(seed.slug), regions[seed.region]
        )
        changes += changed
        members[seed.slug] = member

    # Memberships and credentials.
    member_ids = [member.pk for member in members.values()]
    memberships = {
        (membership.member_id, membership.cluster_id): membership
        for membership in Membership.objects.filter(member_id__in=member_ids)
    }
    credentials = {
        (credential.member_id, credential.kind, credential.number): credential
        for credential in Credential.objects.filter(member_id__in=member_ids)
    }
    for seed in SEED_MEMBERS:
        member = members[seed.slug]
        for seed_membership in seed.memberships:
            cluster = clusters[seed_membership.cluster]
            changes += _membership_load(
                seed_membership,
                memberships.get((member.pk, cluster.pk)),
                member,
                cluster,
                admins[seed_membership.cluster],
            )
        for seed_credential in seed.credentials:
            key = (member.pk, seed_credential.kind.value, seed_credential.number)
            changes += _credential_load(
                seed_credential,
                credentials.get(key),
                member,
                seed.memberships[0],
                admins,
                clusters,
                today,
            )

    # Member roles of the owner and staff logins.
    have_member_roles = set(
        MemberRole.objects.filter(member_id__in=member_ids).values_list(
            "user_id", "member_id", "role"
        )
    )
    for login in member_logins():
        user, member = users[login.email], members[login.member]
        role = login.member_role or MemberRole.Role.OWNER
        if (user.pk, member.pk, role.value) not in have_member_roles:
            MemberRole.objects.create(user=user, member=member, role=role)
            changes += 1
    if changes:
        catalogue_changed_on_commit()  # names and credentials the shop shows
    return changes


# --- What the demo prints --------------------------------------------------------


@dataclass(frozen=True)
class ClusterLogins:
    """The demo logins of one cluster, for ``seed_demo`` to print."""

    cluster_slug: str
    cluster_name: str
    logins: tuple[tuple[str, str, str], ...]  # (role, email, what it is for)


def demo_logins_by_cluster() -> tuple[ClusterLogins, ...]:
    """Each seed cluster's admin, member owner (and staff) logins, in seed order."""
    members = {seed.slug: seed for seed in SEED_MEMBERS}
    admins = {login.cluster: login for login in CLUSTER_ADMIN_LOGINS}
    by_cluster: dict[str, list[tuple[str, str, str]]] = {
        seed.slug: [("admin", admins[seed.slug].email, "cluster admin")]
        for seed in SEED_CLUSTERS
    }
    for login in member_logins():
        member = members[login.member]
        role = login.member_role or MemberRole.Role.OWNER
        what = f"{role.value} of {member.trading_name or member.legal_name}"
        by_cluster[login.cluster].append((role.value, login.email, what))
    return tuple(
        ClusterLogins(
            seed.slug,
            f"{seed.name_en} ({seed.name_mi})" if seed.name_mi else seed.name_en,
            tuple(by_cluster[seed.slug]),
        )
        for seed in SEED_CLUSTERS
    )


def seed_login_count() -> int:
    """How many demo logins the two seeds make together."""
    emails = {login.email for login in DEMO_LOGINS}
    emails |= {login.email for login in (*CLUSTER_ADMIN_LOGINS, *member_logins())}
    return len(emails)
