"""Who is acting. Every service and selector takes one, so scope is checked there."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from purei.accounts.models import User


@dataclass(frozen=True)
class Actor:
    user: User | None

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None and self.user.is_authenticated

    @property
    def is_platform_staff(self) -> bool:
        return bool(self.is_authenticated and self.user and self.user.is_staff)

    @classmethod
    def anonymous(cls) -> Actor:
        return cls(user=None)


def actor_from(request: HttpRequest) -> Actor:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return Actor.anonymous()
    return Actor(user=user)
