"""Each supplier's document numbers get a prefix of its own (docs/money.md
"Numbers").

Before, a number began with the first eight characters of its owner's slug, so
``greytown-woodturning``, ``greytown-soap`` and ``greytown-trust`` all numbered
``GREYTOWN-…``. This migration gives every existing series owner its prefix:

* An owner that has issued documents keeps the prefix of its latest one, so its
  series goes on as it was. Issued documents are never changed: a tax invoice or
  credit note is a legal record, and ``ledger_invoice`` refuses ``UPDATE``.
* When owners that issued documents shared a prefix, the first to issue under it
  keeps it; each other one keeps the numbers it issued and numbers its new
  documents under a prefix of its own, so the collision stops here.
* An owner whose series issued nothing yet takes its name-derived prefix.

No name-derived prefix is ever one that numbered documents before.
"""

import re

import django.db.models.deletion
from django.db import migrations, models

PREFIX_MAX_LENGTH = 24
NAME_MAX_LENGTH = 20


def _candidates(slug):  # type: ignore[no-untyped-def]
    """A frozen copy of ``services.invoice_numbers.invoice_prefix_candidates``."""
    words = [word for word in re.split(r"[^A-Z0-9]+", slug.upper()) if word]
    name = (words or ["SUPPLIER"])[0][:NAME_MAX_LENGTH]
    for word in words[1:]:
        if len(name) + 1 + len(word) > NAME_MAX_LENGTH:
            break
        name = f"{name}-{word}"
    yield name
    n = 2
    while True:
        suffix = f"-{n}"
        yield name[: PREFIX_MAX_LENGTH - len(suffix)].rstrip("-") + suffix
        n += 1


def _issued_prefix(number):  # type: ignore[no-untyped-def]
    """``GREYTOWN-INV-000001`` → ``GREYTOWN`` (None when it is not such a number)."""
    parts = number.rsplit("-", 2)
    if len(parts) != 3 or not parts[0] or len(parts[0]) > PREFIX_MAX_LENGTH:
        return None
    return parts[0]


def keep_or_assign_prefixes(apps, schema_editor):  # type: ignore[no-untyped-def]
    Invoice = apps.get_model("ledger", "Invoice")
    InvoiceSequence = apps.get_model("ledger", "InvoiceSequence")
    InvoicePrefix = apps.get_model("ledger", "InvoicePrefix")
    Member = apps.get_model("members", "Member")
    Cluster = apps.get_model("clusters", "Cluster")

    # Owners that issued documents, in the order of their first document, with
    # the prefix of their latest one; and every prefix ever issued under.
    first_issued = {}
    latest_prefix = {}
    issued_prefixes = set()
    rows = Invoice.objects.order_by("pk").values_list(
        "member_id", "cluster_id", "number"
    )
    for member_id, cluster_id, number in rows.iterator():
        owner = ("member", member_id) if member_id else ("cluster", cluster_id)
        first_issued.setdefault(owner, len(first_issued))
        prefix = _issued_prefix(number)
        latest_prefix[owner] = prefix
        if prefix:
            issued_prefixes.add(prefix)
    # Owners of a series that issued nothing yet.
    waiting = set()
    for member_id, cluster_id in InvoiceSequence.objects.values_list(
        "member_id", "cluster_id"
    ):
        owner = ("member", member_id) if member_id else ("cluster", cluster_id)
        if owner not in first_issued:
            waiting.add(owner)

    given = {}  # owner -> prefix
    taken = set()
    moving = []
    for owner in sorted(first_issued, key=first_issued.__getitem__):
        prefix = latest_prefix[owner]
        if prefix and prefix not in taken:
            given[owner] = prefix
            taken.add(prefix)
        else:
            moving.append(owner)
    slugs = {
        "member": dict(Member.objects.values_list("pk", "slug")),
        "cluster": dict(Cluster.objects.values_list("pk", "slug")),
    }
    for owner in moving + sorted(waiting):
        kind, pk = owner
        for candidate in _candidates(slugs[kind].get(pk, "")):
            if candidate not in taken and candidate not in issued_prefixes:
                given[owner] = candidate
                taken.add(candidate)
                break
    InvoicePrefix.objects.bulk_create(
        InvoicePrefix(prefix=prefix, **{f"{kind}_id": pk})
        for (kind, pk), prefix in sorted(given.items())
    )


class Migration(migrations.Migration):
    dependencies = [
        ("clusters", "0006_cluster_money"),
        ("ledger", "0002_append_only"),
        ("members", "0002_membership_commission_rate"),
    ]

    operations = [
        migrations.CreateModel(
            name="InvoicePrefix",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("prefix", models.CharField(max_length=24, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "cluster",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="clusters.cluster",
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="members.member",
                    ),
                ),
            ],
            options={
                "ordering": ["prefix"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("member__isnull", False)),
                        fields=("member",),
                        name="ledger_prefix_member_once",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("member__isnull", True)),
                        fields=("cluster",),
                        name="ledger_prefix_cluster_once",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("member__isnull", False), ("cluster__isnull", True)
                            ),
                            models.Q(
                                ("member__isnull", True), ("cluster__isnull", False)
                            ),
                            _connector="OR",
                        ),
                        name="ledger_prefix_one_owner",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("prefix", ""), _negated=True),
                        name="ledger_prefix_not_blank",
                    ),
                ],
            },
        ),
        migrations.RunPython(keep_or_assign_prefixes, migrations.RunPython.noop),
    ]
