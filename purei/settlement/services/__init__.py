"""Settlement: the services where money meets orders and the books.

``capture`` — money in: ``capture_settle`` (the one place a payment's success is
recorded, its order paid and the sale booked, in one transaction),
``payment_start``, ``payment_succeeded``, ``payment_mark_received``,
``stripe_event_process``.

``refunds`` — money out: ``refund_settle`` (the one place a refund's outcome is
recorded, booked and credited), ``refund_create``, ``order_refund``, and
cancelling part of an order with its money going back (``fulfilment_cancel``,
``order_lines_cancel``).

docs/adr/0009-booking-a-capture.md says why this layer exists.
"""

from .capture import (
    REASON_ALREADY_PAID,
    REASON_CANCELLED,
    Capture,
    capture_settle,
    payment_mark_received,
    payment_start,
    payment_succeeded,
    stripe_event_process,
)
from .refunds import (
    CancelOutcome,
    fulfilment_cancel,
    order_lines_cancel,
    order_refund,
    refund_automatically,
    refund_create,
    refund_settle,
)

__all__ = [
    "REASON_ALREADY_PAID",
    "REASON_CANCELLED",
    "CancelOutcome",
    "Capture",
    "capture_settle",
    "fulfilment_cancel",
    "order_lines_cancel",
    "order_refund",
    "payment_mark_received",
    "payment_start",
    "payment_succeeded",
    "refund_automatically",
    "refund_create",
    "refund_settle",
    "stripe_event_process",
]
