"""Splitting an amount of cents in proportion to weights, exactly.

Used wherever one amount belongs to several members' parts at once: a hub
delivery charge is shared among the parts of one parcel (``purei.orders.hub``);
a goodwill refund of a whole order is split across its fulfilments in proportion
to what is left of each (the ledger's credit notes and refund postings use the
same split, so the documents and the books agree).
"""

from __future__ import annotations


def largest_remainder(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` cents in proportion to ``weights``: each share is rounded
    down, then the cents left over go one each to the largest remainders (the
    earlier weight first on a tie). The shares always add up to ``total``.

    >>> largest_remainder(100, [1, 1, 1])
    [34, 33, 33]
    >>> largest_remainder(1000, [4500, 5500])
    [450, 550]
    >>> largest_remainder(0, [0, 0])
    [0, 0]
    """
    if total < 0:
        raise ValueError("the total to split is never negative")
    if any(weight < 0 for weight in weights):
        raise ValueError("weights are never negative")
    whole = sum(weights)
    if whole == 0:
        if total == 0:
            return [0 for _weight in weights]
        raise ValueError("cannot split a positive total over no weight")
    shares = [total * weight // whole for weight in weights]
    remainders = [total * weight % whole for weight in weights]
    left = total - sum(shares)
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        shares[i] += 1
    return shares
