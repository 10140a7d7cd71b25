"""axe on every public page (and the staff pages), in English and te reo Māori.

No violation of any impact (minor, moderate, serious or critical) is allowed anywhere.
"""

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db.models import F
from playwright.sync_api import Page

from purei.accounts.tests.factories import PASSWORD, StaffFactory
from purei.catalogue.models import ProductImage
from purei.clusters.tests.factories import ClusterApplicationFactory, ClusterFactory
from purei.core.tests.pictures import picture_bytes
from purei.members.tests.factories import (
    CredentialFactory,
    MemberFactory,
    MemberRoleFactory,
    MembershipFactory,
)
from purei.search.tests.factories import CategoryFactory, public_product

PUBLIC_PATHS = [
    "/",
    "/finder/",
    "/finder/?shared_place=yes",
    "/finder/?shared_place=no",
    "/finder/?shared_place=yes&shared_specialisation=yes",
    "/finder/?shared_place=yes&shared_specialisation=no",
    "/finder/?shared_place=no&shared_specialisation=yes",
    "/finder/?shared_place=no&shared_specialisation=no",
    "/finder/?shared_place=maybe",
    "/clusters/",
    "/compare/",
    "/clusters/?type=local",
    "/clusters/?region=NZ-MBH&q=wine",
    "/clusters/?q=nothing-matches-this",
    "/clusters/?type=nonsense",
    "/c/axe-wine/",
    "/apply/",
    "/apply/?type=local&shared_place=yes&shared_specialisation=no",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password-reset/",
    "/accounts/password-reset/sent/",
    "/accounts/invitations/not-a-real-token/",
    "/c/axe-wine/members/",
    "/c/axe-wine/members/?q=vines",
    "/c/axe-wine/members/axe-vines/",
    # The member's products for other websites to frame (issue 14, being found).
    "/c/axe-wine/members/axe-vines/embed/",
    "/mi/c/axe-wine/members/axe-vines/embed/",
    "/c/axe-wine/join/",
    "/c/axe-wine/shop/",
    "/c/axe-wine/shop/?q=pinot&sort=price_asc&category=axe-wine-cat",
    "/c/axe-wine/shop/?q=nothing-matches-this",
    "/c/axe-wine/p/axe-vines/axe-pinot/",
    "/c/axe-wine/cart/",
    "/c/axe-wine/trade/",
    "/search/",
    "/search/?q=pinot",
    "/search/?q=nothing-matches-this",
    "/no-such-page/",
]


@pytest.fixture
def axe_data(db: Any) -> None:
    cluster = ClusterFactory.create(
        slug="axe-wine",
        name_en="Axe Valley Wine",
        story="First paragraph.\n\nSecond paragraph.",
        regions=["NZ-MBH"],
    )
    member = MemberFactory.create(
        slug="axe-vines",
        trading_name="Axe Vines",
        town="Renwick",
        latitude=Decimal("-41.5139"),
        longitude=Decimal("173.8312"),
    )
    MembershipFactory.create(member=member, cluster=cluster)
    CredentialFactory.create(
        member=member, verification="verified", verified_in=cluster
    )
    product = public_product(
        cluster,
        member=member,
        slug="axe-pinot",
        title_en="Axe Pinot Noir",
        title_mi="Waina whero",
        category=CategoryFactory.create(slug="axe-wine-cat", name_en="Wine"),
        restricted_r18=True,
        maker="Aroha",
        piece_story="Grown on the terraces.",
    )
    # A "was" price above the price: struck through on the card and the page.
    product.variants.update(compare_at_cents=F("price_cents") + 500)
    ProductImage.objects.create(
        product=product,
        image=ContentFile(picture_bytes(40, 30), name="pinot.jpg"),
        width=40,
        height=30,
        alt_text="A bottle of pinot noir",
    )


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_public_page_has_no_axe_violations(
    page: Page, live_server: Any, axe_data: None, axe_check: Any, path: str
) -> None:
    # when
    response = page.goto(live_server.url + path)
    # then
    assert response is not None
    assert response.status < 500
    axe_check(page, path)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/finder/?shared_place=yes",
        "/clusters/",
        "/c/axe-wine/",
        "/c/axe-wine/shop/",
        "/c/axe-wine/p/axe-vines/axe-pinot/",
        "/c/axe-wine/cart/",
        "/search/?q=pinot",
    ],
)
def test_te_reo_pages_have_no_axe_violations(
    page: Page, live_server: Any, axe_data: None, axe_check: Any, path: str
) -> None:
    # given: the visitor chose te reo Māori with the switch in the header
    page.goto(live_server.url + path)
    page.get_by_role("link", name="Te reo Māori").click()
    page.wait_for_load_state()
    # then: the same page at its te reo address; the page stays English and its
    # te reo says so (docs/te-reo.md)
    assert page.url == live_server.url + "/mi" + path
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator('[lang="mi"]', has_text="Ngā pūrei").count() >= 1
    axe_check(page, f"/mi{path}")


def test_form_errors_have_no_axe_violations(
    page: Page, live_server: Any, axe_check: Any
) -> None:
    # when: an application is sent empty, and a login fails
    page.goto(live_server.url + "/apply/")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    # then
    assert page.get_by_role("alert").first.is_visible()
    axe_check(page, "/apply/ with errors")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill("nobody@example.nz")
    page.get_by_label("Password").fill("wrong-password")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    axe_check(page, "/accounts/login/ with errors")


def test_the_too_many_attempts_page_has_no_axe_violations(
    page: Page, live_server: Any, axe_check: Any, rate_limits: Any
) -> None:
    # given: one reset link an hour from this address
    rate_limits("password_reset", address="1/h")
    for _ in range(2):
        page.goto(live_server.url + "/accounts/password-reset/")
        page.get_by_label("Email address").fill("nobody@example.nz")
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
    # then: the second is refused with the site's 429 page
    assert page.get_by_role("heading", level=1).inner_text() == "Too many attempts"
    assert page.get_by_role("alert").first.is_visible()
    axe_check(page, "429 Too many attempts")


def test_staff_review_pages_have_no_axe_violations(
    page: Page, live_server: Any, axe_check: Any
) -> None:
    # given
    StaffFactory.create(email="axe-staff@purei.test")
    application = ClusterApplicationFactory.create(proposed_name_en="Axe Makers")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill("axe-staff@purei.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    # when / then
    for path in ["/staff/applications/", f"/staff/applications/{application.pk}/"]:
        page.goto(live_server.url + path)
        assert "Axe Makers" in page.content()
        axe_check(page, path)
    # The product categories (issue 11): the list, a new one, and wine's.
    for path in [
        "/staff/categories/",
        "/staff/categories/new/",
        "/staff/categories/wine/",
    ]:
        page.goto(live_server.url + path)
        assert "ategor" in page.content()
        axe_check(page, path)


def _money_history(cluster: Any, member: Any) -> dict[str, Any]:
    """A paid order of ``member`` in ``cluster`` handed over and paid out."""
    from django.utils import timezone

    from purei.core.actor import Actor
    from purei.ledger.models import Invoice, Payout
    from purei.ledger.services.payouts import payout_run
    from purei.ledger.tests.factories import BANK_ACCOUNTS, dispatch, paid_order

    member.bank_account = BANK_ACCOUNTS[0]
    member.bank_account_name = "Axe Vines Ltd"
    member.save(update_fields=["bank_account", "bank_account_name"])
    order, _payment = paid_order(cluster, [(member, [(4500, 2)])])
    dispatch(order)
    run = payout_run(actor=Actor.system(), cluster=cluster, until=timezone.now())
    payout = Payout.objects.get(run=run)
    invoice = Invoice.objects.get(order=order, member=member)
    return {
        "order": order.number,
        "invoice": invoice.pk,
        "run": run.pk,
        "payout": payout.number,
    }


def test_management_pages_have_no_axe_violations(
    page: Page, live_server: Any, axe_data: None, axe_check: Any, settings: Any
) -> None:
    # given: one person who runs the cluster and owns a member business
    from purei.accounts.models import ClusterRole
    from purei.clusters.models import Cluster
    from purei.members.models import Member

    cluster = Cluster.objects.get(slug="axe-wine")
    member = Member.objects.get(slug="axe-vines")
    role = MemberRoleFactory.create(member=member, user__email="axe-owner@example.nz")
    ClusterRole.objects.create(user=role.user, cluster=cluster, role="admin")
    credential = member.credentials.get()
    settings.PAYMENTS_TEST_GATEWAY = True  # as in the demo
    money = _money_history(cluster, member)
    from purei.promotions.tests.factories import PromotionFactory

    promotion = PromotionFactory.create(
        cluster=cluster,
        name="Free delivery over $80",
        kind="free_delivery",
        percent_bp=None,
        min_spend_cents=8000,
    )
    own = PromotionFactory.create(
        cluster=cluster, member=member, paid_by="member", code="VINES10"
    )
    # Working together (issue 15): a notice with a reply, a library entry, a post.
    from purei.cooperation.models import Reply, Resource, ResourceVersion
    from purei.cooperation.tests.factories import PartnerPostFactory, ThreadFactory

    notice = ThreadFactory.create(cluster=cluster, author_member=member)
    Reply.objects.create(thread=notice, body="Count us in.", author_member=member)
    kit = Resource.objects.create(cluster=cluster, title="Brand kit", kind="link")
    ResourceVersion.objects.create(resource=kit, number=1, url="https://example.nz/k")
    offer = PartnerPostFactory.create(cluster=cluster, member=member)
    window = _window_with_an_order(cluster, member)
    # Group buys, levies and votes (issue 15): one closed and split, one open.
    import datetime as dt

    from django.utils import timezone

    from purei.cooperation.models import Commitment, Levy, LevyBill, Motion
    from purei.cooperation.tests.factories import group_buy_for

    split = group_buy_for(cluster, target=10, status="allocated", unit_price_cents=42)
    Commitment.objects.create(
        group_buy=split,
        member=member,
        quantity=10,
        settle_by="charged",
        goods_cents=420,
        shared_cost_cents=95,
        total_cents=515,
    )
    open_buy = group_buy_for(cluster, title="Cartons", cap=500)
    levy = Levy.objects.create(
        cluster=cluster,
        name="Annual levy",
        period="annual",
        basis="flat",
        amount_cents=12000,
    )
    LevyBill.objects.create(
        levy=levy,
        member=member,
        period_start=dt.date(2020, 1, 1),
        amount_cents=12000,
        due_on=dt.date(2020, 2, 1),
    )
    motion = Motion.objects.create(
        cluster=cluster,
        title="New kaitiaki",
        kind="choice",
        closes_at=timezone.now() + dt.timedelta(days=3),
    )
    motion.options.create(label="Aroha", position=0)
    motion.options.create(label="Wiremu", position=1)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill("axe-owner@example.nz")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    # when / then
    for path in [
        "/manage/",
        "/accounts/",
        "/accounts/email/",
        "/accounts/password/",
        "/manage/clusters/axe-wine/",
        "/manage/clusters/axe-wine/members/",
        "/manage/clusters/axe-wine/people/",
        "/manage/clusters/axe-wine/brand/",
        "/manage/clusters/axe-wine/money/",
        "/manage/clusters/axe-wine/money-accounts/",
        "/manage/clusters/axe-wine/listing-rules/",
        "/manage/clusters/axe-wine/activity/",
        f"/manage/clusters/axe-wine/credentials/{credential.pk}/verify/",
        "/manage/members/new/",
        "/manage/members/axe-vines/",
        "/manage/members/axe-vines/photos/",
        "/manage/members/axe-vines/credentials/",
        "/manage/members/axe-vines/credentials/new/",
        f"/manage/members/axe-vines/credentials/{credential.pk}/",
        "/manage/members/axe-vines/staff/",
        "/manage/members/axe-vines/embed/",
        "/manage/members/axe-vines/orders/",
        "/manage/members/axe-vines/shipping/",
        "/manage/clusters/axe-wine/orders/",
        "/manage/clusters/axe-wine/shipping/",
        "/manage/clusters/axe-wine/pickup-events/",
        "/manage/clusters/axe-wine/pickup-events/new/",
        "/accounts/orders/",
        # The money screens (issue 6): a paid order, its invoice, a payout run.
        "/manage/members/axe-vines/money/",
        f"/manage/members/axe-vines/money/statements/{money['payout']}/",
        f"/manage/members/axe-vines/money/invoices/{money['invoice']}/",
        "/manage/clusters/axe-wine/payouts/",
        f"/manage/clusters/axe-wine/payouts/{money['run']}/",
        "/manage/clusters/axe-wine/reports/",
        f"/orders/{money['order']}/invoices/{money['invoice']}/",
        # A cluster admin's order page (its invoices listed) and an invoice there.
        f"/manage/clusters/axe-wine/orders/{money['order']}/",
        f"/manage/clusters/axe-wine/invoices/{money['invoice']}/",
        # Promotions (issue 14): the cluster's and a member's own.
        "/manage/clusters/axe-wine/promotions/",
        "/manage/clusters/axe-wine/promotions/new/",
        f"/manage/clusters/axe-wine/promotions/{promotion.pk}/update/",
        f"/manage/clusters/axe-wine/promotions/{own.pk}/update/",
        "/manage/members/axe-vines/promotions/",
        "/manage/members/axe-vines/promotions/new/",
        f"/manage/members/axe-vines/promotions/{own.pk}/update/",
        # Working together (issue 15): the members' space and the sharing choice.
        "/manage/together/axe-wine/board/",
        "/manage/together/axe-wine/board/new/",
        f"/manage/together/axe-wine/board/{notice.pk}/",
        "/manage/together/axe-wine/resources/",
        "/manage/together/axe-wine/resources/new/",
        f"/manage/together/axe-wine/resources/{kit.pk}/",
        "/manage/together/axe-wine/partners/",
        "/manage/together/axe-wine/partners/new/",
        f"/manage/together/axe-wine/partners/{offer.pk}/",
        "/manage/together/axe-wine/directory/",
        "/manage/together/axe-wine/group-buys/",
        "/manage/together/axe-wine/group-buys/new/",
        f"/manage/together/axe-wine/group-buys/{split.pk}/",
        f"/manage/together/axe-wine/group-buys/{open_buy.pk}/",
        "/manage/together/axe-wine/customers/",
        "/manage/together/axe-wine/levies/",
        "/manage/together/axe-wine/levies/new/",
        f"/manage/together/axe-wine/levies/{levy.pk}/",
        "/manage/together/axe-wine/votes/",
        "/manage/together/axe-wine/votes/new/",
        f"/manage/together/axe-wine/votes/{motion.pk}/",
        "/manage/members/axe-vines/together/",
        # Reviews (issue 14): the cluster's queue and setting, the member's list.
        "/manage/clusters/axe-wine/reviews/",
        "/manage/clusters/axe-wine/reviews/?status=approved",
        "/manage/members/axe-vines/reviews/",
        # Sales windows (issue 14): the cluster's screens and a member's pick list.
        "/manage/clusters/axe-wine/windows/",
        "/manage/clusters/axe-wine/windows/new/",
        f"/manage/clusters/axe-wine/windows/{window['id']}/",
        f"/manage/clusters/axe-wine/windows/{window['id']}/update/",
        f"/manage/clusters/axe-wine/windows/{window['id']}/products/new/",
        f"/manage/clusters/axe-wine/windows/{window['id']}/products/"
        f"{window['product']}/update/",
        f"/manage/clusters/axe-wine/windows/{window['id']}/pickup-points/",
        "/manage/members/axe-vines/windows/",
        f"/manage/members/axe-vines/windows/{window['id']}/pick-list/",
    ]:
        response = page.goto(live_server.url + path)
        assert response is not None
        assert response.status == 200, path
        axe_check(page, path)
    # a promotion form sent back with its errors
    page.goto(live_server.url + "/manage/clusters/axe-wine/promotions/new/")
    page.get_by_label("Name").fill("Too much")
    page.get_by_label("A percentage off").check()
    page.get_by_label("Percentage off", exact=True).fill("150")
    page.locator("main form.stacked button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").first.is_visible()
    axe_check(page, "/manage/clusters/axe-wine/promotions/new/ with errors")
    # a sales window's form sent back with its errors
    page.goto(live_server.url + "/manage/clusters/axe-wine/windows/new/")
    page.locator("#id_name_en").fill("Closes before it opens")
    page.get_by_label("Box").check()
    page.locator("#id_open_date").fill("2030-11-02")
    page.locator("#id_open_time").fill("09:00")
    page.locator("#id_close_date").fill("2030-11-01")
    page.locator("#id_close_time").fill("09:00")
    page.locator("main form.stacked button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").first.is_visible()
    axe_check(page, "/manage/clusters/axe-wine/windows/new/ with errors")


def _window_with_an_order(cluster: Any, member: Any) -> dict[str, int]:
    """A window of ``cluster`` selling ``member``'s pinot, with a pickup point
    and a paid order picked up there (its pick list)."""
    import datetime as dt

    from django.utils import timezone

    from purei.catalogue.models import Product
    from purei.ledger.tests.factories import paid_order
    from purei.orders.models import Fulfilment, OrderLine
    from purei.orders.tests.factories import (
        PickupEventFactory,
        SalesWindowFactory,
        SalesWindowItemFactory,
    )

    product = Product.objects.get(slug="axe-pinot")
    window = SalesWindowFactory.create(
        cluster=cluster, kind="market_day", name_en="Axe fair day"
    )
    item = SalesWindowItemFactory.create(window=window, product=product, cap=30)
    event = PickupEventFactory.create(
        cluster=cluster,
        sales_window=window,
        name_en="Axe fair",
        starts_at=timezone.now() + dt.timedelta(days=3),
        order_cutoff=timezone.now() + dt.timedelta(days=2),
    )
    order, _payment = paid_order(cluster, [(member, [(3500, 2)])])
    Fulfilment.objects.filter(order=order).update(
        method="pickup_event", pickup_event=event, pickup_code="AXE1"
    )
    OrderLine.objects.filter(order=order).update(window_item=item)
    return {"id": window.pk, "product": product.pk}


def test_insights_pages_have_no_axe_violations(
    page: Page, live_server: Any, axe_data: None, axe_check: Any, settings: Any
) -> None:
    # given: one person who runs the cluster and owns a member business with a
    # paid order, a wholesale price and an opt-in to benchmarking
    from purei.accounts.models import ClusterRole
    from purei.clusters.models import Cluster
    from purei.insights.models import BenchmarkOptIn, WholesalePrice
    from purei.members.models import Member

    cluster = Cluster.objects.get(slug="axe-wine")
    member = Member.objects.get(slug="axe-vines")
    role = MemberRoleFactory.create(member=member, user__email="axe-owner@example.nz")
    ClusterRole.objects.create(user=role.user, cluster=cluster, role="admin")
    settings.PAYMENTS_TEST_GATEWAY = True  # as in the demo
    _money_history(cluster, member)
    variant = member.variants.order_by("pk").first()
    assert variant is not None
    WholesalePrice.objects.create(variant=variant, member=member, price_cents=2000)
    BenchmarkOptIn.objects.create(member=member, cluster=cluster)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill("axe-owner@example.nz")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    # when / then
    for path in [
        "/manage/clusters/axe-wine/insights/",
        "/manage/clusters/axe-wine/insights/?by=month",
        "/manage/clusters/axe-wine/insights/?from=2026-05-01&to=2026-04-01",
        "/manage/members/axe-vines/insights/",
        "/manage/members/axe-vines/insights/wholesale-prices/",
        "/mi/manage/clusters/axe-wine/insights/",
    ]:
        response = page.goto(live_server.url + path)
        assert response is not None
        assert response.status in (200, 422), path
        assert page.locator("svg[role=img]").count() or "wholesale" in path
        axe_check(page, path)


def test_webhook_pages_have_no_axe_violations(
    page: Page, live_server: Any, axe_data: None, axe_check: Any
) -> None:
    # given: one person who runs the cluster and owns a member business, with an
    # endpoint each and a delivery in the member's log
    from django.utils import timezone

    from purei.accounts.models import ClusterRole
    from purei.clusters.models import Cluster
    from purei.members.models import Member
    from purei.webhooks.models import Delivery, Endpoint, Event

    cluster = Cluster.objects.get(slug="axe-wine")
    member = Member.objects.get(slug="axe-vines")
    role = MemberRoleFactory.create(member=member, user__email="axe-owner@example.nz")
    ClusterRole.objects.create(user=role.user, cluster=cluster, role="admin")
    ours = Endpoint.objects.create(
        kind="member",
        member=member,
        url="https://hooks.example.nz/vines",
        events=["order.paid", "stock.low"],
        secret="whsec_axe",
        created_by=role.user,
    )
    theirs = Endpoint.objects.create(
        kind="cluster",
        cluster=cluster,
        url="https://hooks.example.nz/wine",
        events=["payout.made"],
        secret="whsec_axe2",
        created_by=role.user,
    )
    event = Event.objects.create(
        public_id="evt_axe", name="order.paid", payload={}, created=timezone.now()
    )
    Delivery.objects.create(
        endpoint=ours,
        event=event,
        attempts=1,
        last_status_code=500,
        response_excerpt="Internal error",
        next_attempt_at=timezone.now(),
    )
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill("axe-owner@example.nz")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    # when / then
    for path in [
        "/manage/members/axe-vines/webhooks/",
        f"/manage/members/axe-vines/webhooks/{ours.pk}/",
        "/manage/clusters/axe-wine/webhooks/",
        f"/manage/clusters/axe-wine/webhooks/{theirs.pk}/",
    ]:
        response = page.goto(live_server.url + path)
        assert response is not None
        assert response.status == 200, path
        axe_check(page, path)
    # an endpoint added (its secret shown once), and the form sent back with errors
    page.goto(live_server.url + "/manage/members/axe-vines/webhooks/")
    page.locator("#id_url").fill("https://hooks.example.nz/new")
    page.locator("input[value='order.paid']").check()
    page.locator("main form.stacked button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("webhook-secret").is_visible()
    axe_check(page, "/manage/members/axe-vines/webhooks/ with the secret")
    page.locator("#id_url").fill("ftp://nowhere")
    page.locator("main form.stacked button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").first.is_visible()
    axe_check(page, "/manage/members/axe-vines/webhooks/ with errors")


def test_trade_pages_have_no_axe_violations(
    page: Page, live_server: Any, axe_data: None, axe_check: Any
) -> None:
    # given: a business's buyer applying, and the cluster's admin deciding
    from purei.accounts.models import ClusterRole
    from purei.accounts.tests.factories import UserFactory
    from purei.clusters.models import Cluster
    from purei.trade.tests.factories import TradeAccountFactory

    cluster = Cluster.objects.get(slug="axe-wine")
    UserFactory.create(email="axe-buyer@example.com.au")
    admin = UserFactory.create(email="axe-trade-admin@example.nz")
    ClusterRole.objects.create(user=admin, cluster=cluster, role="admin")
    account = TradeAccountFactory.create(cluster=cluster, legal_name="Axe Imports")

    def log_in(email: str) -> None:
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()

    log_in("axe-buyer@example.com.au")
    page.goto(live_server.url + "/c/axe-wine/trade/apply/")
    axe_check(page, "/c/axe-wine/trade/apply/")
    page.get_by_label("ABN").fill("51 824 753 557")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").first.is_visible()
    axe_check(page, "/c/axe-wine/trade/apply/ with errors")
    page.context.clear_cookies()
    # when / then
    log_in("axe-trade-admin@example.nz")
    for path in [
        "/manage/clusters/axe-wine/trade/",
        f"/manage/clusters/axe-wine/trade/accounts/{account.pk}/",
        "/manage/clusters/axe-wine/trade/settings/",
    ]:
        response = page.goto(live_server.url + path)
        assert response is not None
        assert response.status == 200, path
        axe_check(page, path)
    page.context.clear_cookies()
    # given: an approved buyer's request for quote, priced and quoted
    import datetime as dt
    import io
    from decimal import Decimal

    from django.utils import timezone

    from purei.catalogue.models import Variant
    from purei.core.actor import Actor
    from purei.members.models import Member
    from purei.trade.models import ExchangeRate
    from purei.trade.services import (
        AddressInput,
        AttachmentInput,
        LinePriceInput,
        QuoteInput,
        RFQInput,
        RFQLineInput,
        quote_send,
        rfq_create,
        rfq_line_assign,
        rfq_line_price,
    )
    from purei.trade.tests.factories import TradeBuyerFactory

    approved = TradeAccountFactory.create(
        cluster=cluster,
        legal_name="Axe Approved Imports",
        status="approved",
        abn="53004085616",
    )
    buyer = TradeBuyerFactory.create(
        account=approved, user__email="axe-approved@example.com.au"
    ).user
    vines = Member.objects.get(slug="axe-vines")
    owner = MemberRoleFactory.create(member=vines, user__email="axe-vines@example.nz")
    ExchangeRate.objects.create(
        cluster=cluster,
        currency="AUD",
        rate=Decimal("0.9125"),
        source="RBNZ",
        as_of=timezone.now(),
    )
    drawing = b"%PDF-1.4 drawing"
    rfq = rfq_create(
        actor=Actor(user=buyer),
        account=approved,
        rfq=RFQInput(
            lines=[
                RFQLineInput(
                    quantity=12,
                    variant_id=Variant.objects.get(product__slug="axe-pinot").pk,
                ),
                RFQLineInput(
                    quantity=2,
                    description="Gift boxes with our logo",
                    attachments=[
                        AttachmentInput(
                            name="logo.pdf",
                            content=io.BytesIO(drawing),
                            content_type="application/pdf",
                            size=len(drawing),
                        )
                    ],
                ),
            ],
            incoterm="DAP",
            named_place="Brisbane",
            destination=AddressInput(
                line1="1 Wharf St", city="Brisbane", postcode="4000", country="AU"
            ),
        ),
    )
    in_a_month = timezone.localdate() + dt.timedelta(days=30)
    admin_actor = Actor(user=admin)
    wine, boxes = rfq.lines.order_by("position")
    rfq_line_assign(actor=admin_actor, line=boxes, member=vines)
    boxes.refresh_from_db()
    for line in (wine, boxes):
        rfq_line_price(
            actor=Actor(user=owner.user),
            line=line,
            price=LinePriceInput(
                unit_price_nzd_cents=2_500,
                lead_time_days=7,
                valid_until=in_a_month,
                unit_weight_grams=1_500,
                hs_code="220421",
            ),
        )
    quote_send(actor=admin_actor, request=rfq, quote=QuoteInput(valid_until=in_a_month))
    # when / then: the buyer's pages
    log_in("axe-approved@example.com.au")
    for path in [
        "/c/axe-wine/trade/",
        "/c/axe-wine/trade/rfqs/",
        "/c/axe-wine/trade/rfqs/new/",
        f"/c/axe-wine/trade/rfqs/{rfq.pk}/",
    ]:
        response = page.goto(live_server.url + path)
        assert response is not None
        assert response.status == 200, path
        axe_check(page, path)
    page.goto(live_server.url + "/c/axe-wine/trade/rfqs/new/")
    page.get_by_label("Quantity of product 1").fill("3")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").first.is_visible()
    axe_check(page, "/c/axe-wine/trade/rfqs/new/ with errors")
    page.goto(live_server.url + f"/c/axe-wine/trade/rfqs/{rfq.pk}/")
    page.get_by_role("button", name="Ask for a revision").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").first.is_visible()
    axe_check(page, f"/c/axe-wine/trade/rfqs/{rfq.pk}/ with errors")
    page.context.clear_cookies()
    # ... the member's and the admin's
    log_in("axe-vines@example.nz")
    for path in [
        "/manage/members/axe-vines/trade/rfqs/",
        f"/manage/members/axe-vines/trade/rfqs/{rfq.pk}/",
    ]:
        response = page.goto(live_server.url + path)
        assert response is not None
        assert response.status == 200, path
        axe_check(page, path)
    page.context.clear_cookies()
    log_in("axe-trade-admin@example.nz")
    for path in [
        "/manage/clusters/axe-wine/trade/rfqs/",
        f"/manage/clusters/axe-wine/trade/rfqs/{rfq.pk}/",
    ]:
        response = page.goto(live_server.url + path)
        assert response is not None
        assert response.status == 200, path
        axe_check(page, path)
    # ... and, once the buyer accepts on account, where its money stands
    from purei.trade.models import TradeAccount, TradeOrder
    from purei.trade.services import quote_accept

    TradeAccount.objects.filter(pk=approved.pk).update(
        payment_terms="net_days", terms_days=30, first_order_proforma=False
    )
    Variant.objects.filter(product__slug="axe-pinot").update(stock=100)
    quote_accept(actor=Actor(user=buyer), quote=rfq.quotes.get(status="sent"))
    number = TradeOrder.objects.get(account=approved).order.number
    for path in [
        f"/manage/clusters/axe-wine/trade/orders/{number}/",
        f"/manage/clusters/axe-wine/trade/accounts/{approved.pk}/statement/",
    ]:
        response = page.goto(live_server.url + path)
        assert response is not None
        assert response.status == 200, path
        axe_check(page, path)
    page.goto(live_server.url + f"/manage/clusters/axe-wine/trade/orders/{number}/")
    page.get_by_role("button", name="Record the payment").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").first.is_visible()  # the NZD credited
    axe_check(page, f"/manage/clusters/axe-wine/trade/orders/{number}/ with errors")
    page.context.clear_cookies()
    log_in("axe-approved@example.com.au")
    for path in [
        "/c/axe-wine/trade/statement/",
        f"/c/axe-wine/trade/orders/{number}/",
    ]:
        response = page.goto(live_server.url + path)
        assert response is not None
        assert response.status == 200, path
        axe_check(page, path)


@pytest.fixture
def axe_window(axe_data: None) -> int:
    """A vintage release of Axe Valley Wine opening tomorrow, with a pickup point."""
    import datetime as dt

    from django.utils import timezone

    from purei.catalogue.models import Product
    from purei.clusters.models import Cluster
    from purei.orders.tests.factories import (
        PickupEventFactory,
        SalesWindowFactory,
        SalesWindowItemFactory,
    )

    cluster = Cluster.objects.get(slug="axe-wine")
    opens = timezone.now() + dt.timedelta(days=1)
    window = SalesWindowFactory.create(
        cluster=cluster,
        kind="release",
        name_en="Axe release",
        name_mi="",
        description="This year's wines.",
        opens_at=opens,
        closes_at=opens + dt.timedelta(days=5),
    )
    SalesWindowItemFactory.create(
        window=window,
        product=Product.objects.get(slug="axe-pinot"),
        per_customer_limit=6,
    )
    PickupEventFactory.create(
        cluster=cluster,
        sales_window=window,
        starts_at=opens + dt.timedelta(days=6),
        order_cutoff=opens + dt.timedelta(days=5),
    )
    return window.pk


def test_sales_window_pages_have_no_axe_violations(
    page: Page, live_server: Any, axe_window: int, axe_check: Any
) -> None:
    # given the calendar, the window's page and a product page saying "Opens …"
    for path in (
        "/c/axe-wine/calendar/",
        f"/c/axe-wine/windows/{axe_window}/",
        "/c/axe-wine/p/axe-vines/axe-pinot/",
    ):
        # when
        response = page.goto(live_server.url + path)
        # then
        assert response is not None
        assert response.status == 200
        axe_check(page, path)


def test_privacy_pages_have_no_axe_violations(
    page: Page, live_server: Any, axe_data: None, axe_check: Any
) -> None:
    # given: the only owner of a business (who may not close the account yet)
    from purei.accounts.tests.factories import UserFactory
    from purei.members.models import Member

    member = Member.objects.get(slug="axe-vines")
    MemberRoleFactory.create(member=member, user__email="axe-owner@example.nz")
    UserFactory.create(email="axe-shopper@example.nz")

    def log_in(email: str) -> None:
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()

    log_in("axe-owner@example.nz")
    # when / then: the owner's pages, the refusal explained
    for path in [
        "/accounts/data/",
        "/accounts/close/",
        "/manage/members/axe-vines/data/",
        "/mi/accounts/data/",
        "/mi/manage/members/axe-vines/data/",
    ]:
        response = page.goto(live_server.url + path)
        assert response is not None
        assert response.status == 200, path
        axe_check(page, path)
    # and a shopper's form to close, with a wrong password's error
    page.context.clear_cookies()
    log_in("axe-shopper@example.nz")
    page.goto(live_server.url + "/accounts/close/")
    axe_check(page, "/accounts/close/")
    page.get_by_label("Your password").fill("not-the-password")
    page.get_by_label("I understand that closing my account cannot be undone").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_text("That is not your password.").count()
    axe_check(page, "/accounts/close/ (wrong password)")


def test_the_money_accounts_screen_has_no_axe_violations(
    page: Page, live_server: Any, axe_data: None, axe_check: Any
) -> None:
    # given: the cluster's admin (issue 16: each cluster's own accounts)
    from purei.accounts.models import ClusterRole
    from purei.accounts.tests.factories import UserFactory
    from purei.clusters.models import Cluster

    cluster = Cluster.objects.get(slug="axe-wine")
    user = UserFactory.create(email="axe-money@example.nz")
    ClusterRole.objects.create(user=user, cluster=cluster, role="admin")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill("axe-money@example.nz")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    path = "/manage/clusters/axe-wine/money-accounts/"
    # when / then: the screen, and the screen with a wrong account number
    page.goto(live_server.url + path)
    axe_check(page, path)
    page.get_by_label("Name on the bank account").fill("Axe Wine Trust")
    page.get_by_label("Bank account number").fill("01-0242-0100195-00")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").first.is_visible()
    axe_check(page, f"{path} with errors")
