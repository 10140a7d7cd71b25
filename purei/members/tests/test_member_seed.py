import dataclasses
import datetime
import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.test import Client
from django.utils import timezone

from purei.accounts.models import ClusterRole, MemberRole, User
from purei.clusters.models import Cluster
from purei.clusters.seed import SEED_CLUSTERS
from purei.core import validators
from purei.core.text import fold
from purei.members import seed as member_seed
from purei.members.models import Credential, Member, Membership
from purei.members.services import member_search_text
from purei.members.story import render_story

pytestmark = pytest.mark.django_db

CLUSTER_SLUGS = [cluster.slug for cluster in SEED_CLUSTERS]


def seed_demo(*, history: bool = False) -> str:
    """``purei seed_demo``; without the past orders and payouts unless asked
    (they have their own test, purei/ledger/tests/test_seed.py, and cost ~3 s)."""
    out = StringIO()
    call_command("seed_demo", *([] if history else ["--no-history"]), stdout=out)
    return out.getvalue()


def can_log_in(email: str) -> bool:
    """``client.login`` with the demo password (django-axes wants the request)."""
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    return Client().login(request=request, email=email, password="purei-demo")


# --- The test's own check-digit rules (independent of purei.core.validators) ---


def nzbn_ok(value: str) -> bool:
    """domain-nz.md §3.1: 13 digits, 94…, GS1 mod-10 weights 1,3,1,3… from the left."""
    if not re.fullmatch(r"94\d{11}", value):
        return False
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(value[:12]))
    return (10 - total % 10) % 10 == int(value[12])


def ird_ok(value: str) -> bool:
    """domain-nz.md §3.2: 8 or 9 digits, 10,000,000 to 150,000,000, IRD modulus 11."""
    digits = value.replace("-", "")
    if not re.fullmatch(r"\d{8,9}", digits):
        return False
    if not 10_000_000 <= int(digits) <= 150_000_000:
        return False
    base = digits[:-1].zfill(8)
    for weights in ((3, 2, 7, 6, 5, 4, 3, 2), (7, 4, 3, 2, 5, 2, 7, 6)):
        remainder = sum(int(d) * w for d, w in zip(base, weights, strict=True)) % 11
        check = 0 if remainder == 0 else 11 - remainder
        if check != 10:
            return check == int(digits[-1])
    return False


# The banks the seed uses and their branch ranges (IRD's RWT/NRWT specification).
BANK_BRANCHES = {
    "01": [(1, 999), (1100, 1199), (1800, 1899)],
    "02": [(1, 999), (1200, 1299)],
    "03": [(1, 999), (1300, 1399), (1500, 1599), (1700, 1799), (1900, 1999)],
    "06": [(1, 999), (1400, 1499)],
    "11": [(5000, 6499), (6600, 8999)],
    "12": [(3000, 3299), (3400, 3499), (3600, 3699)],
    "38": [(9000, 9499)],
}
WEIGHTS_A = (0, 0, 6, 3, 7, 9, 0, 0, 10, 5, 8, 4, 2, 1, 0, 0, 0, 0)
WEIGHTS_B = (0, 0, 0, 0, 0, 0, 0, 0, 10, 5, 8, 4, 2, 1, 0, 0, 0, 0)


def bank_account_ok(value: str) -> bool:
    """BB-bbbb-AAAAAAA-SS(S), a known branch, and the modulus-11 check (A or B)."""
    match = re.fullmatch(r"(\d{2})-(\d{4})-(\d{7})-(\d{2,3})", value)
    if not match:
        return False
    bank, branch, account, suffix = match.groups()
    ranges = BANK_BRANCHES.get(bank, [])
    if not any(low <= int(branch) <= high for low, high in ranges):
        return False
    weights = WEIGHTS_A if int(account) < 990000 else WEIGHTS_B
    digits = bank + branch + account.zfill(8) + suffix.zfill(4)
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


@pytest.mark.parametrize(
    ("check", "value", "valid"),
    [
        (nzbn_ok, "9429046393920", True),
        (nzbn_ok, "9429050294954", True),
        (nzbn_ok, "9429050294955", False),
        (ird_ok, "49091850", True),
        (ird_ok, "35901981", True),
        (ird_ok, "49098576", True),
        (ird_ok, "136410132", True),
        (ird_ok, "136410133", False),
        (bank_account_ok, "01-0902-0068389-00", True),
        (bank_account_ok, "01-0902-0068388-00", False),
        (bank_account_ok, "01-1000-0068389-00", False),
    ],
)
def test_the_tests_check_digit_rules_agree_with_known_numbers(check, value, valid):
    # then
    assert check(value) is valid


# --- The seed data ----------------------------------------------------------------


def test_every_identifier_in_the_seed_is_valid():
    # then: by the test's own rules, and by the profile form's validators
    for seed in member_seed.SEED_MEMBERS:
        assert nzbn_ok(seed.nzbn), seed.slug
        assert bank_account_ok(seed.bank_account), seed.slug
        assert validators.nzbn_is_valid(seed.nzbn), seed.slug
        assert validators.bank_account_is_valid(seed.bank_account), seed.slug
        if seed.gst_registered:
            assert ird_ok(seed.gst_number), seed.slug
            assert validators.ird_number_is_valid(seed.gst_number), seed.slug
    assert member_seed.member_seed_errors() == []


def test_seed_contacts_are_fictional():
    # then: reserved example domains and 555 numbers only
    for seed in member_seed.SEED_MEMBERS:
        assert seed.email.endswith(f"@{seed.slug}.example.nz"), seed.slug
        assert seed.website == f"https://{seed.slug}.example.nz", seed.slug
        assert re.fullmatch(r"0\d{1,2} 555 \d{4}", seed.phone), seed.slug


def test_seed_cluster_admins_match_the_cluster_seed_logins():
    # given
    from purei.clusters.seed import DEMO_LOGINS

    cluster_seed_names = {login.email: login.full_name for login in DEMO_LOGINS}
    # then
    assert [login.cluster for login in member_seed.CLUSTER_ADMIN_LOGINS] == (
        CLUSTER_SLUGS
    )
    for login in member_seed.CLUSTER_ADMIN_LOGINS:
        assert login.email == f"admin@{login.cluster}.test"
        if login.email in cluster_seed_names:
            assert login.full_name == cluster_seed_names[login.email]


# --- What the loader writes -------------------------------------------------------


@pytest.mark.usefixtures("demo_seeded")
class TestTheSeededMembers:
    """What the member seed writes, read by each test from one load of the demo
    (``demo_seeded``; each test's own changes are rolled back)."""

    def test_every_seed_cluster_gets_4_to_12_members(self):
        # when: the demo, seeded once for the class
        # then
        for slug in CLUSTER_SLUGS:
            memberships = Membership.objects.filter(cluster__slug=slug)
            approved = memberships.filter(status=Membership.Status.APPROVED)
            assert 4 <= memberships.count() <= 12, slug
            assert approved.count() >= 4, slug
        assert Member.objects.count() == len(member_seed.SEED_MEMBERS) >= 75

    def test_stored_identifiers_are_valid_and_normalised(self):
        # when: the demo, seeded once for the class
        # then
        for member in Member.objects.all():
            assert nzbn_ok(member.nzbn), member.slug
            assert bank_account_ok(member.bank_account), member.slug
            assert member.bank_account == validators.bank_account_normalise(
                member.bank_account
            )
            assert member.bank_account_name == member.legal_name
            if member.gst_registered:
                assert ird_ok(member.gst_number), member.slug
                assert member.gst_number == validators.ird_number_normalise(
                    member.gst_number
                )
            else:
                assert member.gst_number == "", member.slug
            assert member.in_trade, member.slug
            assert member.region is not None, member.slug
            assert member.latitude is not None, member.slug
            assert member.longitude is not None, member.slug
        unregistered = Member.objects.filter(gst_registered=False).count()
        assert 3 <= unregistered <= 15

    def test_stories_are_rendered_and_searchable_like_a_members_own_edit(self):
        # when: the demo, seeded once for the class
        # then
        for member in Member.objects.select_related("region"):
            paragraphs = member.story.split("\n\n")
            assert 2 <= len(paragraphs) <= 3, member.slug
            assert member.story_html == render_story(member.story), member.slug
            assert member.story_html.startswith("<p>"), member.slug
            assert member.search_text == member_search_text(member), member.slug
        kumara = Member.objects.filter(search_text__contains=fold("kumara"))
        assert kumara.filter(slug="tokatoka-flats-kumara").exists()

    def test_memberships_include_applied_suspended_and_shared_members(self):
        # when: the demo, seeded once for the class
        # then
        for slug in CLUSTER_SLUGS:
            applied = Membership.objects.filter(
                cluster__slug=slug, status=Membership.Status.APPLIED
            )
            assert 1 <= applied.count() <= 2, slug
            assert applied.filter(decided_at__isnull=True, decided_by=None).count() == (
                applied.count()
            )
        suspended = Membership.objects.filter(status=Membership.Status.SUSPENDED)
        assert suspended.count() == 1
        for membership in suspended:
            assert membership.reason
            assert membership.decided_by is not None
            assert membership.decided_by.cluster_roles.filter(
                cluster=membership.cluster, role=ClusterRole.Role.ADMIN
            ).exists()
        shared = Counter(Membership.objects.values_list("member_id", flat=True))
        assert sum(1 for count in shared.values() if count == 2) >= 2

    def test_a_lapsed_credential_stops_showing_as_verified(self):
        # when: the demo, seeded once for the class
        # then
        today = timezone.localdate()
        lapsed = Credential.objects.filter(expires_on__lt=today)
        assert lapsed.count() == 1
        credential = lapsed.get()
        assert credential.kind == Credential.Kind.LIQUOR_LICENCE
        assert credential.verification == Credential.Verification.VERIFIED
        assert credential.is_verified is False
        current = Credential.objects.filter(
            verification=Credential.Verification.VERIFIED
        ).exclude(pk=credential.pk)
        assert current.count() >= 40
        assert all(c.is_verified for c in current)

    def test_credentials_are_verified_in_the_members_own_cluster(self):
        # when: the demo, seeded once for the class
        # then
        kinds = set(Credential.objects.values_list("kind", flat=True))
        assert {
            Credential.Kind.TOI_IHO,
            Credential.Kind.LIQUOR_LICENCE,
            Credential.Kind.FOOD_ACT,
            Credential.Kind.WINE_STANDARDS,
            Credential.Kind.ORGANIC,
        } <= kinds
        for credential in Credential.objects.select_related("member"):
            home = credential.member.memberships.order_by("applied_at").first()
            assert home is not None
            if credential.verification == Credential.Verification.VERIFIED:
                assert credential.verified_in_id == home.cluster_id
                assert credential.verified_by is not None
                assert credential.verified_at is not None
            else:
                assert credential.verification == Credential.Verification.PENDING
                assert credential.verified_in_id is None
        assert Credential.objects.filter(
            verification=Credential.Verification.PENDING
        ).exists()

    # --- Logins -------------------------------------------------------------------

    def test_each_cluster_has_an_admin_and_an_owner_login_that_can_log_in(self):
        # given: the demo, seeded once for the class
        clusters = member_seed.demo_logins_by_cluster()
        # then
        assert [c.cluster_slug for c in clusters] == CLUSTER_SLUGS
        for cluster in clusters:
            roles = {role: email for role, email, _ in cluster.logins}
            assert {"admin", "owner"} <= set(roles), cluster.cluster_slug
            admin = User.objects.get(email=roles["admin"])
            assert admin.cluster_roles.filter(
                cluster__slug=cluster.cluster_slug, role=ClusterRole.Role.ADMIN
            ).exists()
            owner = User.objects.get(email=roles["owner"])
            owned = MemberRole.objects.get(user=owner, role=MemberRole.Role.OWNER)
            assert Membership.objects.filter(
                member=owned.member,
                cluster__slug=cluster.cluster_slug,
                status=Membership.Status.APPROVED,
            ).exists()
            assert roles["owner"] == f"owner@{owned.member.slug}.test"
            for email in roles.values():
                assert can_log_in(email), email

    def test_one_member_has_a_staff_login(self):
        # when: the demo, seeded once for the class
        # then
        staff = MemberRole.objects.get(role=MemberRole.Role.STAFF)
        assert staff.user.email == f"staff@{staff.member.slug}.test"
        assert MemberRole.objects.filter(
            member=staff.member, role=MemberRole.Role.OWNER
        ).exists()
        assert can_log_in(staff.user.email)
        assert not staff.user.is_staff

    def test_seed_demo_prints_every_login_grouped_by_cluster(self, demo_seeded: str):
        # when: the demo, seeded once for the class
        output = demo_seeded
        # then
        assert "Demo logins:" in output
        assert "Log in at /accounts/login/." in output
        for cluster in member_seed.demo_logins_by_cluster():
            block = output.split(
                f"  {cluster.cluster_name}  /c/{cluster.cluster_slug}/"
            )
            assert len(block) == 2, cluster.cluster_slug
            for role, email, _ in cluster.logins:
                assert re.search(rf"^    {role} +{re.escape(email)} ", block[1], re.M)
        assert User.objects.count() == member_seed.seed_login_count()
        assert f"{len(member_seed.SEED_MEMBERS)} member businesses" in output

    # --- Idempotent ---------------------------------------------------------------

    def test_running_again_repairs_edited_seed_rows(self):
        # given: the demo, seeded once for the class
        member = Member.objects.get(slug="wairau-terrace-wines")
        Member.objects.filter(pk=member.pk).update(
            story="Changed", story_html="<p>Changed</p>", nzbn="", region=None
        )
        membership = Membership.objects.get(
            member__slug="estuary-lane-wines", cluster__slug="marlborough-wine"
        )
        Membership.objects.filter(pk=membership.pk).update(
            status=Membership.Status.APPROVED, decided_at=timezone.now()
        )
        Credential.objects.filter(member=member).update(
            verification=Credential.Verification.REJECTED
        )
        MemberRole.objects.filter(member=member).delete()
        owner = User.objects.get(email="owner@wairau-terrace-wines.test")
        owner.set_password("something-else")
        owner.save()
        # when
        changes = member_seed.member_seed_load()
        # then
        assert changes > 0
        member.refresh_from_db()
        assert member.story.startswith("Wairau Terrace is twelve hectares")
        assert member.story_html == render_story(member.story)
        assert nzbn_ok(member.nzbn)
        assert member.region is not None
        assert member.region.code == "NZ-MBH"
        membership.refresh_from_db()
        assert membership.status == Membership.Status.APPLIED
        assert membership.decided_at is None
        assert all(c.is_verified for c in Credential.objects.filter(member=member))
        assert MemberRole.objects.filter(member=member).count() == 2
        assert can_log_in(owner.email)

    def test_expiry_dates_follow_the_current_year(self, monkeypatch):
        # given: the demo, seeded once for the class
        next_year = datetime.date(timezone.localdate().year + 1, 6, 15)
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: next_year)
        # when
        changes = member_seed.member_seed_load()
        # then: every credential with an expiry moved on a year; the lapsed one still
        # lapsed
        assert changes == Credential.objects.filter(expires_on__isnull=False).count()
        lapsed = Credential.objects.filter(expires_on__lt=next_year)
        assert lapsed.count() == 1


def snapshot() -> dict[str, list[dict[str, object]]]:
    """Every row the seeds write, every field (timestamps and hashes included)."""
    models = [Member, Membership, Credential, User, ClusterRole, MemberRole, Cluster]
    return {
        model.__name__: list(model._default_manager.order_by("pk").values())
        for model in models
    }


def test_running_twice_changes_nothing():
    # given
    seed_demo(history=True)
    first = snapshot()
    # when
    changes = member_seed.member_seed_load()
    output = seed_demo(history=True)
    # then
    assert changes == 0
    assert "already up to date" in output
    assert snapshot() == first


def test_a_member_seed_that_breaks_a_rule_fails_loudly_and_writes_nothing(
    monkeypatch,
):
    # given
    good = member_seed.SEED_MEMBERS[0]
    broken = dataclasses.replace(
        good, slug="broken-numbers", nzbn="9429000000001", gst_number="136410133"
    )
    monkeypatch.setattr(
        member_seed, "SEED_MEMBERS", (*member_seed.SEED_MEMBERS, broken)
    )
    # when
    with pytest.raises(CommandError) as failed:
        seed_demo()
    # then
    assert "broken-numbers: nzbn" in str(failed.value)
    assert "broken-numbers: gst_number" in str(failed.value)
    assert Member.objects.count() == 0
    assert Cluster.objects.count() == 0
    assert User.objects.count() == 0
