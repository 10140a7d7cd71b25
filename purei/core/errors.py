"""Refusals with a stable code, mapped once at each edge (API handler, form helper)."""

from enum import StrEnum


class DomainError(Exception):
    """A rule said no. ``code`` is stable; ``field`` names the input at fault."""

    status = 400

    def __init__(self, code: StrEnum | str, message: str, *, field: str | None = None):
        super().__init__(message)
        self.code = str(code)
        self.message = message
        self.field = field


class ValidationFailed(DomainError):
    """One or more inputs broke a rule. ``errors`` maps field → messages."""

    status = 422

    def __init__(
        self,
        code: StrEnum | str,
        errors: dict[str, list[str]],
    ) -> None:
        first_field, messages = next(iter(errors.items()))
        super().__init__(code, messages[0], field=first_field)
        self.errors = errors


class NotPermitted(DomainError):
    status = 403
