"""Document numbers: ``<PREFIX>-<SERIES>-<NNNNNN>``, e.g.
``GREYTOWN-SOAP-INV-000001`` (docs/money.md "Invoices", "Numbers").

**The prefix** belongs to the series owner — a member (agent model) or a
cluster's lead organisation (reseller model, commission invoices) — and is unique
across the platform (``InvoicePrefix.prefix`` is a unique column): a member's
series spans every cluster it sells in, and customers, platform staff and the API
see numbers side by side, so uniqueness within one cluster would not be enough.
It is derived from the owner's web address (slug), as many whole words as fit in
20 characters (``greytown-woodturning`` → ``GREYTOWN-WOODTURNING``), and when that
is taken — by another owner, or by numbers issued before prefixes were kept — a
short disambiguator is added (``-2``, ``-3``…). It is given once, with the owner's
first document, and kept: a new web address does not change it.

**The number** is taken from the owner's ``InvoiceSequence`` row of that series,
locked with ``SELECT … FOR UPDATE`` inside the transaction that issues the
document, so numbers are unique and gapless per series (a rolled-back payment
gives its number, and a new owner's prefix, back).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F, Q

from purei.ledger.models import Invoice, InvoicePrefix, InvoiceSequence

if TYPE_CHECKING:
    from purei.clusters.models import Cluster
    from purei.members.models import Member

# The longest prefix: the name part (at most NAME_MAX_LENGTH) and a disambiguator.
# A number is then at most 24 + 1 + 3 + 1 + 6 = 35 characters (Invoice.number: 40).
PREFIX_MAX_LENGTH = 24
NAME_MAX_LENGTH = 20


def invoice_prefix_candidates(slug: str) -> Iterator[str]:
    """The prefixes an owner at ``slug`` may take, best first: its name (as many
    whole words as fit in 20 characters; a first word longer than that is cut),
    then the name with ``-2``, ``-3``… Upper case, never a dangling hyphen."""
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


def _owner(member: Member | None, cluster: Cluster) -> dict[str, object]:
    if member is not None:
        return {"member": member, "cluster": None}
    return {"member": None, "cluster": cluster}


def _prefix_taken(prefix: str) -> bool:
    """Whether another owner has ``prefix``, or documents were numbered under it
    before prefixes were kept (then it is not given again either)."""
    if InvoicePrefix.objects.filter(prefix=prefix).exists():
        return True
    issued = Q()
    for series in InvoiceSequence.Series.values:
        issued |= Q(number__startswith=f"{prefix}-{series}-")
    return Invoice.objects.filter(issued).exists()


def invoice_prefix_for(*, member: Member | None, cluster: Cluster) -> str:
    """The prefix of ``member``'s series (or, with no member, ``cluster``'s lead
    organisation's), given now if it has none yet. Call inside the transaction
    that issues the document: if it rolls back, so does a new prefix."""
    owner = _owner(member, cluster)
    mine = InvoicePrefix.objects.filter(**owner).values_list("prefix", flat=True)
    found = mine.first()
    if found is not None:
        return found
    slug = member.slug if member is not None else cluster.slug
    for candidate in invoice_prefix_candidates(slug):
        if _prefix_taken(candidate):
            continue
        try:
            with transaction.atomic():
                InvoicePrefix.objects.create(prefix=candidate, **owner)
        except IntegrityError:
            # Another transaction gave this owner its prefix first, or gave the
            # candidate to another owner: use the first, or try the next name.
            found = mine.first()
            if found is not None:
                return found
            continue
        return candidate
    raise AssertionError("unreachable: the candidates never end")  # pragma: no cover


def invoice_number_take(*, member: Member | None, cluster: Cluster, series: str) -> int:
    """The next number of the member's series (or, with no member, the cluster's),
    taken under a row lock so numbers are unique and gapless. Call inside the
    transaction that creates the document."""
    owner = _owner(member, cluster)
    sequences = InvoiceSequence.objects.select_for_update()
    sequence = sequences.filter(series=series, **owner).first()
    if sequence is None:
        try:
            with transaction.atomic():
                InvoiceSequence.objects.create(series=series, **owner)
        except IntegrityError:
            pass  # another transaction made it first: wait for its lock below
        sequence = sequences.get(series=series, **owner)
    number = sequence.next_number
    InvoiceSequence.objects.filter(pk=sequence.pk).update(
        next_number=F("next_number") + 1
    )
    return number


def invoice_number_format(prefix: str, series: str, sequence: int) -> str:
    """``GREYTOWN-SOAP-INV-000123``: the owner's prefix, the series, the number."""
    return f"{prefix}-{series}-{sequence:06d}"
