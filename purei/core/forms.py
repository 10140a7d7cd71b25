"""Put a service's refusal on the HTML form that caused it (style.md §6.6)."""

from collections.abc import Mapping

from django import forms

from .errors import DomainError, ValidationFailed


def form_add_domain_error(
    form: forms.BaseForm,
    exc: DomainError,
    *,
    field_map: Mapping[str, str] | None = None,
) -> None:
    """Attach ``exc``'s messages to the form's fields (or to the form as a whole).

    ``field_map`` renames service field names to form field names; a field the form
    does not have becomes a non-field error.
    """
    field_map = field_map or {}
    errors = (
        exc.errors
        if isinstance(exc, ValidationFailed)
        else {exc.field or "": [exc.message]}
    )
    for field, messages in errors.items():
        name = field_map.get(field, field)
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
