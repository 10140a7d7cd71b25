"""``{% notify_window_opens cluster sales_window %}``: the "Tell me when it
opens" form of a product whose sales window has not opened yet
(``marketing/windows/_notify_window.html``); nothing once it has opened or
closed. ``sales_window`` is the orders' ``ProductWindow`` (``{% sales_window_of
%}``) or ``WindowView``; it reads no database."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def notify_window_opens(
    context: template.Context, cluster: Any, sales_window: Any
) -> SafeString:
    view = getattr(sales_window, "view", sales_window)
    if view is None or not getattr(view, "is_upcoming", False):
        return SafeString("")
    request = context.get("request")
    user = getattr(request, "user", None)
    email = user.email if user is not None and user.is_authenticated else ""
    return SafeString(
        render_to_string(
            "marketing/windows/_notify_window.html",
            {
                "cluster": cluster,
                "view": view,
                "email": email,
                "next": request.get_full_path() if request is not None else "",
            },
            request=request,
        )
    )
