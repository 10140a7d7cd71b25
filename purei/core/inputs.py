"""Typed service inputs: the ``UNSET`` default of a field nobody sent.

A service that changes only what it is given (a PATCH from the API, a form that
leaves a field alone) takes a frozen dataclass whose fields default to ``UNSET``;
``fields_sent`` lists the ones that were given, ``None`` and ``""`` included.
"""

from __future__ import annotations

import dataclasses
import enum
from typing import Any, Final


class Unset(enum.Enum):
    """The type of ``UNSET`` (one member, so ``x is UNSET`` narrows for mypy)."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = Unset.UNSET


def fields_sent(details: Any) -> dict[str, Any]:
    """The fields of the dataclass instance ``details`` that are not ``UNSET``, by
    name, in the order the class declares them."""
    return {
        field.name: getattr(details, field.name)
        for field in dataclasses.fields(details)
        if getattr(details, field.name) is not UNSET
    }
