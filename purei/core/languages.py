"""The languages people use Pūrei in (settings.LANGUAGES), as stored on a person
or an application so emails to them go out in it."""

from django.conf import settings


def language_code(value: str | None) -> str:
    """``value`` (an active language such as ``"mi"`` or ``"en-nz"``) as one of
    settings.LANGUAGES' codes, or ``""`` when it is none of them."""
    if not value:
        return ""
    codes = {code for code, _name in settings.LANGUAGES}
    value = value.strip().lower()
    if value in codes:
        return value
    base = value.split("-", 1)[0]
    return base if base in codes else ""
