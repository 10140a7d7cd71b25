"""Working together (issue 15, ADR 0017): everything here belongs to one cluster
and is seen only by the people of that cluster — the teams of its approved members
and its admins and curators. The board, library, partner search and sharing
choice are in ``board``; group buys in ``group_buys``; levies and votes in
``governance``."""

from .board import (
    Attachment,
    DigestChoice,
    Follow,
    Mention,
    PartnerInterest,
    PartnerPost,
    Reply,
    Resource,
    ResourceVersion,
    SharingChoice,
    Thread,
    attachment_upload_to,
    resource_upload_to,
)
from .governance import Ballot, Levy, LevyBand, LevyBill, Motion, MotionOption
from .group_buys import Commitment, GroupBuy, GroupBuyTier, Settlement

__all__ = [
    "Attachment",
    "Ballot",
    "Commitment",
    "DigestChoice",
    "Follow",
    "GroupBuy",
    "GroupBuyTier",
    "Levy",
    "LevyBand",
    "LevyBill",
    "Mention",
    "Motion",
    "MotionOption",
    "PartnerInterest",
    "PartnerPost",
    "Reply",
    "Resource",
    "ResourceVersion",
    "Settlement",
    "SharingChoice",
    "Thread",
    "attachment_upload_to",
    "resource_upload_to",
]
