"""State changes of member businesses: profiles, photos and credentials.

Each service is one transaction that names its actor, checks scope itself, records an
audit row and returns the changed row. Refusals are ``ValidationFailed`` (422, field
→ messages) or ``NotPermitted`` (403). Inputs come as typed values
(``MemberDetails``, ``CredentialInput``), so forms, the API and the seed all go
through the same rules.
"""

from .credentials import (
    CREDENTIAL_FIELDS,
    CredentialInput,
    credential_add,
    credential_remove,
    credential_update,
    credential_verify,
)
from .photos import (
    MAX_PHOTOS,
    member_photo_add,
    member_photo_move,
    member_photo_remove,
    member_photo_reorder,
    member_photo_update,
    member_pictures_render,
)
from .profile import (
    MEMBER_FIELDS,
    RESERVED_SLUGS,
    MemberDetails,
    member_create,
    member_details_errors,
    member_is_ready_to_trade,
    member_maker_text,
    member_not_ready_reasons,
    member_search_text,
    member_slug_suggest,
    member_update,
    member_update_by_staff,
)

__all__ = [
    "CREDENTIAL_FIELDS",
    "MAX_PHOTOS",
    "MEMBER_FIELDS",
    "RESERVED_SLUGS",
    "CredentialInput",
    "MemberDetails",
    "credential_add",
    "credential_remove",
    "credential_update",
    "credential_verify",
    "member_create",
    "member_details_errors",
    "member_is_ready_to_trade",
    "member_maker_text",
    "member_not_ready_reasons",
    "member_photo_add",
    "member_photo_move",
    "member_photo_remove",
    "member_photo_reorder",
    "member_photo_update",
    "member_pictures_render",
    "member_search_text",
    "member_slug_suggest",
    "member_update",
    "member_update_by_staff",
]
