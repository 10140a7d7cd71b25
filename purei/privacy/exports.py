"""People's own data, handed over (docs/privacy.md "Exports").

**A member business** (its owners): a ZIP of CSV and PDF files —
``products.csv`` (the catalogue's own Pūrei spreadsheet, which it can import
again), ``orders.csv`` (its parts of orders, with the customer's contact and
delivery details it already sees on its order screens), ``order_lines.csv``,
``customers.csv`` (those same customers, one row per address with their
orders with it), ``invoices.csv`` and ``invoices/<number>.pdf`` (every invoice
and credit note it issued or whose goods it supplied, and the commission
invoices it received, each as the ledger's own PDF), ``statements/<payout>.csv``
(each payout's statement) and ``README.txt``. Pūrei keeps no other consent to
share customers with a member, so no other customer appears.

**A shopper**: their account, orders (lines and addresses), newsletter
subscriptions with their consent records, back-in-stock requests and reviews,
as one JSON document.

The ZIP is written to a temporary file (not memory) and sent from there; see
docs/privacy.md for how long the demo's biggest member takes.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable
from typing import IO, Any

from django.db.models import Q
from django.utils import timezone

from purei.accounts.models import User
from purei.catalogue.spreadsheets.exporter import products_export
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.csv_safe import csv_text
from purei.ledger.models import Invoice
from purei.ledger.pdf import invoice_pdf
from purei.ledger.reports import (
    commission_invoices_for_member,
    invoices_for_member,
    payouts_for_member,
)
from purei.ledger.statement import statement_csv, statement_for_payout
from purei.marketing.models import NotifyRequest, Review, Subscriber
from purei.members.models import Member
from purei.orders.models import Fulfilment, Order, OrderLine

README = """Your business's data from Pūrei, as it was on {when}.

products.csv        your products, variants and prices (Pūrei's spreadsheet:
                    you can import it again)
orders.csv          your part of each order: status, totals, and the
                    customer's contact and delivery details you see on your
                    order screens
order_lines.csv     each line of those orders
customers.csv       those customers, one row per email address
invoices.csv        every invoice and credit note, and the commission invoices
invoices/*.pdf      each of them as a PDF
statements/*.csv    the statement of each payout made to you

Amounts are in cents (NZD, GST-inclusive unless the column says otherwise).
Keep these records for seven years (Goods and Services Tax Act).
"""


def member_export_clusters(member: Member) -> list[Cluster]:
    """The clusters the member belongs to or has books in."""
    return list(
        Cluster.objects.filter(
            Q(memberships__member=member) | Q(ledger_accounts__member=member)
        )
        .distinct()
        .order_by("name_en", "pk")
    )


def _fulfilments(member: Member) -> Iterable[Fulfilment]:
    return (
        Fulfilment.objects.filter(member=member)
        .select_related("order", "order__cluster", "order__region")
        .order_by("order__created_at", "pk")
        .iterator(chunk_size=500)
    )


def _orders_csv(member: Member) -> tuple[str, str]:
    orders: list[list[object]] = [
        [
            "order",
            "cluster",
            "placed_at",
            "order_status",
            "payment",
            "part_status",
            "method",
            "customer_name",
            "customer_email",
            "customer_phone",
            "address_line1",
            "address_line2",
            "suburb",
            "town",
            "postcode",
            "region",
            "country",
            "goods_cents",
            "shipping_cents",
            "gst_cents",
            "total_cents",
            "tracking_number",
        ]
    ]
    customers: dict[str, list[Any]] = {}
    for part in _fulfilments(member):
        order = part.order
        orders.append(
            [
                order.number,
                order.cluster.slug,
                timezone.localtime(order.created_at).isoformat(),
                order.status,
                order.payment_state,
                part.status,
                part.method,
                order.name,
                order.email,
                order.phone,
                order.address_line1,
                order.address_line2,
                order.suburb,
                order.town,
                order.postcode,
                order.region.name_en if order.region else order.state,
                order.country,
                part.goods_cents,
                part.shipping_cents,
                part.gst_cents,
                part.total_cents,
                part.tracking_number,
            ]
        )
        key = order.email.lower()
        row = customers.setdefault(
            key, [order.name, order.email, order.phone, order.town, 0, 0, ""]
        )
        row[4] += 1
        row[5] += part.total_cents
        row[6] = timezone.localtime(order.created_at).date().isoformat()
    customer_rows: list[list[object]] = [
        ["name", "email", "phone", "town", "orders", "total_cents", "last_order_on"],
        *customers.values(),
    ]
    return csv_text(orders), csv_text(customer_rows)


def _lines_csv(member: Member) -> str:
    rows: list[list[object]] = [
        [
            "order",
            "sku",
            "title",
            "variant",
            "unit_price_cents",
            "quantity",
            "cancelled_quantity",
            "discount_cents",
            "gst_cents",
            "total_cents",
        ]
    ]
    lines = (
        OrderLine.objects.filter(fulfilment__member=member)
        .select_related("order")
        .order_by("order__created_at", "pk")
        .iterator(chunk_size=1000)
    )
    for line in lines:
        rows.append(
            [
                line.order.number,
                line.sku,
                line.title,
                line.variant_name,
                line.unit_price_cents,
                line.quantity,
                line.cancelled_quantity,
                line.discount_cents,
                line.gst_cents,
                line.total_cents,
            ]
        )
    return csv_text(rows)


def _invoices(member: Member, clusters: list[Cluster]) -> list[Invoice]:
    issued = list(invoices_for_member(member, clusters))
    received = list(commission_invoices_for_member(member, clusters))
    return sorted(issued + received, key=lambda i: (i.issued_at, i.pk))


def _invoices_csv(invoices: list[Invoice]) -> str:
    rows: list[list[object]] = [
        [
            "number",
            "kind",
            "cluster",
            "issued_at",
            "order",
            "supplier",
            "recipient",
            "total_cents",
            "gst_cents",
            "file",
        ]
    ]
    for invoice in invoices:
        rows.append(
            [
                invoice.number,
                invoice.kind,
                invoice.cluster.slug,
                timezone.localtime(invoice.issued_at).isoformat(),
                invoice.order.number if invoice.order else "",
                invoice.supplier_name,
                invoice.recipient_name,
                invoice.total_cents,
                invoice.gst_cents,
                f"invoices/{invoice.number}.pdf",
            ]
        )
    return csv_text(rows)


def member_export_write(*, actor: Actor, member: Member, out: IO[bytes]) -> int:
    """Write the member's ZIP to ``out``; answer the number of files in it.
    The caller has checked that ``actor`` owns ``member``."""
    clusters = member_export_clusters(member)
    files = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def put(name: str, content: str | bytes) -> None:
            nonlocal files
            archive.writestr(name, content)
            files += 1

        when = timezone.localtime().strftime("%d %B %Y, %H:%M")
        put("README.txt", README.format(when=when))
        put("products.csv", products_export(actor=actor, member=member, fmt="purei"))
        orders, customers = _orders_csv(member)
        put("orders.csv", orders)
        put("customers.csv", customers)
        put("order_lines.csv", _lines_csv(member))
        invoices = _invoices(member, clusters)
        put("invoices.csv", _invoices_csv(invoices))
        for invoice in invoices:
            put(f"invoices/{invoice.number}.pdf", invoice_pdf(invoice))
        for payout in payouts_for_member(member, clusters):
            statement = statement_for_payout(payout)
            put(f"statements/{payout.number}.csv", statement_csv(statement))
    return files


def member_export_filename(member: Member) -> str:
    return f"{member.slug}-data-{timezone.localdate().isoformat()}.zip"


# --- A shopper's own data ---------------------------------------------------------


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def shopper_export(*, user: User) -> dict[str, Any]:
    """Everything Pūrei keeps about ``user`` as a shopper, as plain JSON values:
    the orders of their account (and any they placed with its email address
    before signing up), newsletter subscriptions with every consent event,
    back-in-stock requests and reviews."""
    email = user.email.lower()
    orders = (
        Order.objects.filter(Q(customer=user) | Q(email__iexact=email))
        .select_related("cluster", "region")
        .prefetch_related("lines", "fulfilments")
        .order_by("created_at", "pk")
    )
    subscribers = (
        Subscriber.objects.filter(Q(user=user) | Q(email=email))
        .select_related("cluster")
        .prefetch_related("events")
        .order_by("pk")
    )
    notify = NotifyRequest.objects.filter(Q(user=user) | Q(email=email)).order_by("pk")
    reviews = Review.objects.filter(author=user).select_related("product", "cluster")
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "orders": [
            {
                "number": order.number,
                "cluster": order.cluster.slug,
                "placed_at": _iso(order.created_at),
                "status": order.status,
                "payment_state": order.payment_state,
                "name": order.name,
                "email": order.email,
                "phone": order.phone,
                "address": {
                    "line1": order.address_line1,
                    "line2": order.address_line2,
                    "suburb": order.suburb,
                    "town": order.town,
                    "postcode": order.postcode,
                    "region": order.region.name_en if order.region else order.state,
                    "country": order.country,
                },
                "total_cents": order.total_cents,
                "gst_cents": order.gst_cents,
                "lines": [
                    {
                        "title": line.title,
                        "variant": line.variant_name,
                        "sku": line.sku,
                        "quantity": line.quantity,
                        "unit_price_cents": line.unit_price_cents,
                        "total_cents": line.total_cents,
                    }
                    for line in order.lines.all()
                ],
                "parts": [
                    {
                        "supplier": part.supplier_name,
                        "status": part.status,
                        "method": part.method,
                        "tracking_number": part.tracking_number,
                    }
                    for part in order.fulfilments.all()
                ],
            }
            for order in orders
        ],
        "newsletters": [
            {
                "cluster": sub.cluster.slug,
                "email": sub.email,
                "status": sub.status,
                "requested_at": _iso(sub.requested_at),
                "confirmed_at": _iso(sub.confirmed_at),
                "left_at": _iso(sub.left_at),
                "consent": [
                    {
                        "kind": event.kind,
                        "at": _iso(event.at),
                        "source": event.source,
                        "wording": event.wording,
                    }
                    for event in sub.events.all()
                ],
            }
            for sub in subscribers
        ],
        "back_in_stock_requests": [
            {
                "kind": req.kind,
                "email": req.email,
                "status": req.status,
                "asked_at": _iso(req.created_at),
                "wording": req.wording,
            }
            for req in notify
        ],
        "reviews": [
            {
                "cluster": review.cluster.slug,
                "product": review.product.slug,
                "stars": review.stars,
                "body": review.body,
                "status": review.status,
                "written_at": _iso(review.created_at),
                "reply": review.reply,
            }
            for review in reviews
        ],
    }


def shopper_export_json(*, user: User) -> bytes:
    return json.dumps(shopper_export(user=user), indent=2, ensure_ascii=False).encode()
