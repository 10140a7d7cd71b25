"""Form widgets shared by the apps' forms."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.datastructures import MultiValueDict

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


class ColourInput(forms.TextInput):
    """A colour as ``#rrggbb``: a colour picker (``<input type="color">``) with the
    text value beside it, each with its own label.

    ``web/js/colour-input.js`` keeps the two in step. Without JavaScript both are
    sent: the text wins, unless only the picker was changed (each carries the value
    it was shown with, in ``<name>_was``). The text may be left empty (the field's
    default colour); a picker can't be empty, so it then shows ``default``.
    """

    template_name = "web/widgets/colour.html"

    def __init__(
        self,
        *,
        picker_label: StrOrPromise = "",
        default: str = "#000000",
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(
            attrs={
                "pattern": "#[0-9a-fA-F]{6}",
                "maxlength": "7",
                "size": "8",
                "spellcheck": "false",
                "autocomplete": "off",
                **(attrs or {}),
            }
        )
        self.picker_label = picker_label
        self.default = default

    def get_context(
        self, name: str, value: Any, attrs: dict[str, Any] | None
    ) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        text = str(value or "")
        context["widget"]["picker"] = {
            "name": f"{name}_picker",
            "value": text.lower() if HEX.match(text) else self.default,
            "label": self.picker_label,
        }
        context["widget"]["was_name"] = f"{name}_was"
        context["widget"]["was_value"] = text
        return context

    def value_from_datadict(
        self, data: Mapping[str, Any], files: MultiValueDict[str, Any], name: str
    ) -> Any:
        text = data.get(name)
        picker = data.get(f"{name}_picker")
        was = data.get(f"{name}_was")
        if (
            was is not None
            and text is not None
            and str(text).strip() == str(was).strip()
            and picker
            and HEX.match(str(picker))
            and str(picker).lower() != (str(was).strip().lower() or self.default)
        ):
            return str(picker).lower()  # only the picker changed (no JavaScript)
        return text

    def value_omitted_from_data(
        self, data: Mapping[str, Any], files: MultiValueDict[str, Any], name: str
    ) -> bool:
        return name not in data and f"{name}_picker" not in data
