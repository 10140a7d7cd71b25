"""Services of orders: each changes state in one transaction and checks scope."""

from .shipping import (
    ShippingErrorCode,
    cluster_defaults_for_member,
    pickup_event_cancel,
    pickup_event_create,
    pickup_event_get_for,
    pickup_event_initial,
    pickup_event_list_for_cluster,
    pickup_event_update,
    policy_initial,
    rate_rows_initial,
    shipping_policy_get_for,
    shipping_policy_save,
    shipping_rates_replace,
    shipping_settings_save,
)

__all__ = [
    "ShippingErrorCode",
    "cluster_defaults_for_member",
    "pickup_event_cancel",
    "pickup_event_create",
    "pickup_event_get_for",
    "pickup_event_initial",
    "pickup_event_list_for_cluster",
    "pickup_event_update",
    "policy_initial",
    "rate_rows_initial",
    "shipping_policy_get_for",
    "shipping_policy_save",
    "shipping_rates_replace",
    "shipping_settings_save",
]
