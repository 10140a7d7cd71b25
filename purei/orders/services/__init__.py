"""Services of orders: each changes state in one transaction and checks scope."""

from .pickup_events import (
    PickupEventInput,
    pickup_event_cancel,
    pickup_event_create,
    pickup_event_update,
)
from .shipping import (
    ChilledRateRow,
    RateRow,
    ShippingErrorCode,
    ShippingPolicyInput,
    shipping_policy_save,
    shipping_rates_replace,
    shipping_settings_save,
)

__all__ = [
    "ChilledRateRow",
    "PickupEventInput",
    "RateRow",
    "ShippingErrorCode",
    "ShippingPolicyInput",
    "pickup_event_cancel",
    "pickup_event_create",
    "pickup_event_update",
    "shipping_policy_save",
    "shipping_rates_replace",
    "shipping_settings_save",
]
