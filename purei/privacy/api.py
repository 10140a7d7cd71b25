"""People's own data over the API (docs/privacy.md).

- ``GET /members/{slug}/export``: the member business's ZIP (its owners).
- ``GET /account/export``: the logged-in person's own data (JSON).

401 anonymous; 404 outside the actor's scope.
"""

from __future__ import annotations

import tempfile

from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import Router
from ninja.security import django_auth

from purei.accounts.models import User
from purei.core.actor import actor_from
from purei.core.downloads import private_download, private_file

from .exports import member_export_filename, member_export_write, shopper_export_json
from .selectors import member_get_for_export

router = Router(tags=["privacy"])


@router.get(
    "/members/{slug}/export",
    auth=django_auth,
    url_name="member-export",
    summary="The member business's data: a ZIP of CSV and PDF files (owners)",
)
def member_export_api(request: HttpRequest, slug: str) -> FileResponse:
    actor = actor_from(request)
    member = member_get_for_export(actor=actor, slug=slug)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    member_export_write(actor=actor, member=member, out=handle)
    handle.seek(0)
    return private_file(handle, "application/zip", member_export_filename(member))


@router.get(
    "/account/export",
    auth=django_auth,
    url_name="account-export",
    summary="The logged-in person's own data (JSON)",
)
def account_export_api(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - django_auth before
    return private_download(
        shopper_export_json(user=user), "application/json", "purei-account-data.json"
    )
