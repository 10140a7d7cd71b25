"""Words that make a therapeutic claim, for products in a health category.

Under New Zealand's Medicines Act 1981 a product sold for a "therapeutic purpose"
(s 4: preventing, treating, curing… a disease, ailment, defect or injury) is a
medicine and needs approval (see ``docs/health-claims.md``). Pūrei can't judge a
claim, but it can make sure a person does: a live product in a health category
(``Category.health_products``) whose name or description uses one of these words
waits for a curator, with the words shown, even in a cluster that lists at once.

Matching is whole-word, case-insensitive and macron-insensitive ("Cūres" matches
"cures"); "treat" alone is left out ("a sweet treat"), "treats" and "treatment
for" are in.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

CLAIM_WORDS: tuple[str, ...] = (
    "cure",
    "cures",
    "cured",
    "curing",
    "treats",
    "treating",
    "treatment for",
    "treatment of",
    "prevents",
    "preventing",
    "prevention of",
    "heal",
    "heals",
    "healing",
    "remedy for",
    "relieves",
    "relief from",
    "relief of",
    "anti-inflammatory",
    "antibacterial",
    "antiviral",
)


def fold(text: str) -> str:
    """Lower-case ``text`` and take the macrons (and other accents) off."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.casefold()


_PATTERN = re.compile(
    r"(?<!\w)("
    + "|".join(
        re.escape(word).replace(r"\ ", r"\s+")
        for word in sorted(CLAIM_WORDS, key=len, reverse=True)
    )
    + r")(?!\w)"
)


@dataclass(frozen=True)
class ClaimFinding:
    field: str
    words: tuple[str, ...]


def claim_words_in(text: str) -> tuple[str, ...]:
    """The claim words in ``text``, in the order they first appear, each once."""
    seen: dict[str, None] = {}
    for match in _PATTERN.finditer(fold(text or "")):
        seen.setdefault(re.sub(r"\s+", " ", match.group(1)), None)
    return tuple(seen)


def claims_in_product(
    *, title: str, description: str, extra: dict[str, str] | None = None
) -> list[ClaimFinding]:
    """Where a product's own words make a claim: its name, its description and any
    ``extra`` texts (e.g. the te reo Māori title and description)."""
    texts = {"name": title, "description": description, **(extra or {})}
    findings = []
    for field, text in texts.items():
        words = claim_words_in(text)
        if words:
            findings.append(ClaimFinding(field=field, words=words))
    return findings
