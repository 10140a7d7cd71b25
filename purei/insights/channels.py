"""The channels a sale came through, decided from what the order and its part
recorded (docs/insights.md "Channels"). Each sale has exactly one channel, so
the channels add up to the sales; promotions are shown beside them, not among
them, as a sale under a promotion also came through one of these.

**Sales windows** (orders' sales windows, ADR 0013) are being built elsewhere.
When an order's part (or line) records the window it was sold in, pass it to
``channel_of`` as ``window_id`` and it becomes the ``WINDOWS`` channel, before
any other; ``selectors._channel_rows`` will then need that field in its
``values()``. Until then no sale is a window's and the channel is not shown
(``SHOWN`` leaves it out): no figure is invented for it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    DELIVERY = "delivery", _("Retail, delivered in New Zealand")
    PICKUP = "pickup", _("Retail, picked up")
    EXPORT = "export", _("Retail, exported")
    TRADE = "trade", _("Trade (incl. trade exports)")
    # Not recorded yet: see the module's docstring.
    WINDOWS = "windows", _("Sales windows")


# The channels shown, in order (WINDOWS once sales windows record their sales).
SHOWN: tuple[Channel, ...] = (
    Channel.DELIVERY,
    Channel.PICKUP,
    Channel.EXPORT,
    Channel.TRADE,
)

PICKUP_METHODS = frozenset({"pickup_premises", "pickup_event"})


def channel_of(
    *, order_channel: str, method: str, country: str, window_id: int | None = None
) -> Channel:
    """The one channel of a part of an order."""
    if window_id is not None:
        return Channel.WINDOWS
    if order_channel == "trade":
        return Channel.TRADE
    if method in PICKUP_METHODS:
        return Channel.PICKUP
    if country and country != "NZ":
        return Channel.EXPORT
    return Channel.DELIVERY
