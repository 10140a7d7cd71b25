"""The channels a sale came through, decided from what the order and its part
recorded (docs/insights.md "Channels"). Each sale has exactly one channel, so
the channels add up to the sales; promotions are shown beside them, not among
them, as a sale under a promotion also came through one of these.

**Sales windows** (ADR 0016): a line sold through a window records its window
item (``OrderLine.window_item``); its sale is the ``WINDOWS`` channel, before
any other (a fair day's pre-order collected at the gate is the window's, not
"picked up"). ``selectors._channels_and_markets`` reads it in the same query.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    DELIVERY = "delivery", _("Retail, delivered in New Zealand")
    PICKUP = "pickup", _("Retail, picked up")
    EXPORT = "export", _("Retail, exported")
    TRADE = "trade", _("Trade (incl. trade exports)")
    WINDOWS = "windows", _("Sales windows")


# The channels shown, in order (each only when it has sales).
SHOWN: tuple[Channel, ...] = (
    Channel.DELIVERY,
    Channel.PICKUP,
    Channel.EXPORT,
    Channel.TRADE,
    Channel.WINDOWS,
)

PICKUP_METHODS = frozenset({"pickup_premises", "pickup_event"})


def channel_of(
    *, order_channel: str, method: str, country: str, window_id: int | None = None
) -> Channel:
    """The one channel of a line sold (``window_id``: its window item's, if any)."""
    if window_id is not None:
        return Channel.WINDOWS
    if order_channel == "trade":
        return Channel.TRADE
    if method in PICKUP_METHODS:
        return Channel.PICKUP
    if country and country != "NZ":
        return Channel.EXPORT
    return Channel.DELIVERY
