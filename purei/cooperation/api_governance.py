"""Group buys, levies, votes and shared customers over JSON (browser session;
docs/cooperation.md "API"). As the rest of working together: 401 anonymous, 404
outside the cluster (platform staff included), 403 for what you may see but not
do, 422 naming the field at fault. Money is in cents."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth
from pydantic import ConfigDict

from purei.core.actor import actor_from
from purei.core.api_inputs import InputSchema
from purei.core.errors import NotPermitted

from .errors import CooperationErrorCode
from .models import Commitment, GroupBuy, Levy, LevyBill, Motion
from .selectors import (
    Access,
    commitment_get,
    commitments_visible,
    group_buy_get,
    group_buy_list,
    levy_bill_get,
    levy_bills_visible,
    levy_get,
    levy_list,
    motion_get,
    motion_list,
    own_ballots,
    shared_customers,
    together_access,
)
from .services.group_buys import (
    GroupBuyInput,
    commitment_set,
    group_buy_close,
    group_buy_propose,
    share_offset,
    share_payment_record,
)
from .services.levies import (
    LevyInput,
    levy_bill,
    levy_create,
    levy_offset,
    levy_payment_record,
)
from .services.votes import (
    MotionInput,
    ballot_cast,
    minutes_attach,
    motion_close,
    motion_open,
)

router = Router(tags=["working together: buying and governing"])


def _access(request: HttpRequest, slug: str) -> Access:
    return together_access(actor=actor_from(request), slug=slug)


# --- Group buys -------------------------------------------------------------------


class TierIO(InputSchema):
    min_quantity: int = Field(ge=1)
    unit_price_cents: int = Field(ge=1)


class GroupBuyIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["packaging", "freight", "trade_show", "advertising", "other"]
    title: str = Field(max_length=160)
    description: str = ""
    supplier: str = Field(max_length=200)
    unit: str = Field("units", max_length=40)
    target_quantity: int
    cap: int | None = Field(None, description="A capped lot: at most this many.")
    deadline: dt.datetime
    arrangement: Literal["delivery", "collection"]
    arrangement_details: str = Field("", max_length=300)
    shared_cost_cents: int = Field(0, ge=0, description="Split by quantity.")
    tiers: list[TierIO]
    member: str = Field("", description="Your business's slug (if several).")


class CommitmentOut(Schema):
    id: int
    member: str
    quantity: int
    settle_by: str
    goods_cents: int | None
    shared_cost_cents: int | None
    total_cents: int | None
    paid_at: dt.datetime | None
    offset_at: dt.datetime | None


class GroupBuyOut(Schema):
    id: int
    kind: str
    title: str
    supplier: str
    unit: str
    target_quantity: int
    cap: int | None
    committed_quantity: int
    deadline: dt.datetime
    arrangement: str
    arrangement_details: str
    shared_cost_cents: int
    status: str
    unit_price_cents: int | None
    tiers: list[TierIO]
    commitments: list[CommitmentOut] = Field(
        description="All to the cluster's admins; a member's own to its team."
    )


def _commitment_out(c: Commitment) -> CommitmentOut:
    return CommitmentOut(
        id=c.pk,
        member=c.member.slug,
        quantity=c.quantity,
        settle_by=c.settle_by,
        goods_cents=c.goods_cents,
        shared_cost_cents=c.shared_cost_cents,
        total_cents=c.total_cents,
        paid_at=c.paid_at,
        offset_at=c.offset_at,
    )


def _group_buy_out(access: Access, gb: GroupBuy, *, detail: bool) -> GroupBuyOut:
    commitments = commitments_visible(access=access, group_buy=gb) if detail else []
    return GroupBuyOut(
        id=gb.pk,
        kind=gb.kind,
        title=gb.title,
        supplier=gb.supplier,
        unit=gb.unit,
        target_quantity=gb.target_quantity,
        cap=gb.cap,
        committed_quantity=gb.committed_quantity,
        deadline=gb.deadline,
        arrangement=gb.arrangement,
        arrangement_details=gb.arrangement_details,
        shared_cost_cents=gb.shared_cost_cents,
        status=gb.status,
        unit_price_cents=gb.unit_price_cents,
        tiers=[
            TierIO(min_quantity=t.min_quantity, unit_price_cents=t.unit_price_cents)
            for t in gb.tiers.all()
        ],
        commitments=[_commitment_out(c) for c in commitments],
    )


@router.get(
    "/clusters/{slug}/group-buys",
    response=list[GroupBuyOut],
    auth=django_auth,
    summary="The cluster's group buys",
)
def group_buy_list_api(request: HttpRequest, slug: str) -> list[GroupBuyOut]:
    access = _access(request, slug)
    return [
        _group_buy_out(access, gb, detail=False)
        for gb in group_buy_list(access=access)[:200]
    ]


@router.post(
    "/clusters/{slug}/group-buys",
    response={201: GroupBuyOut},
    auth=django_auth,
    summary="Propose a group buy",
)
def group_buy_propose_api(
    request: HttpRequest, slug: str, payload: GroupBuyIn
) -> Status[GroupBuyOut]:
    access = _access(request, slug)
    made = group_buy_propose(
        actor=actor_from(request),
        access=access,
        details=GroupBuyInput(
            kind=payload.kind,
            title=payload.title,
            description=payload.description,
            supplier=payload.supplier,
            unit=payload.unit,
            target_quantity=str(payload.target_quantity),
            cap=str(payload.cap) if payload.cap is not None else None,
            deadline=payload.deadline,
            arrangement=payload.arrangement,
            arrangement_details=payload.arrangement_details,
            shared_cost=payload.shared_cost_cents,
            tiers=[(str(t.min_quantity), t.unit_price_cents) for t in payload.tiers],
            member=payload.member or None,
        ),
    )
    return Status(201, _group_buy_out(access, made, detail=True))


@router.get(
    "/clusters/{slug}/group-buys/{group_buy_id}",
    response=GroupBuyOut,
    auth=django_auth,
    summary="A group buy, with the commitments you may see",
)
def group_buy_get_api(
    request: HttpRequest, slug: str, group_buy_id: int
) -> GroupBuyOut:
    access = _access(request, slug)
    gb = group_buy_get(access=access, group_buy_id=group_buy_id)
    return _group_buy_out(access, gb, detail=True)


class CommitIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    quantity: int = Field(ge=0, description="0 withdraws.")
    settle_by: Literal["offset", "charged"] = "offset"
    member: str = ""


@router.post(
    "/clusters/{slug}/group-buys/{group_buy_id}/commitment",
    response=GroupBuyOut,
    auth=django_auth,
    summary="Commit a quantity, change it, or withdraw (until the deadline)",
)
def commitment_set_api(
    request: HttpRequest, slug: str, group_buy_id: int, payload: CommitIn
) -> GroupBuyOut:
    access = _access(request, slug)
    gb = group_buy_get(access=access, group_buy_id=group_buy_id)
    if not access.members:
        raise NotPermitted(
            CooperationErrorCode.NOT_A_MEMBER, "Only member businesses commit."
        )
    commitment_set(
        actor=actor_from(request),
        access=access,
        group_buy=gb,
        quantity=payload.quantity,
        settle_by=payload.settle_by,
        member=payload.member or None,
    )
    gb.refresh_from_db()
    return _group_buy_out(access, gb, detail=True)


@router.post(
    "/clusters/{slug}/group-buys/{group_buy_id}/close",
    response=GroupBuyOut,
    auth=django_auth,
    summary="Close a group buy now (admins)",
)
def group_buy_close_api(
    request: HttpRequest, slug: str, group_buy_id: int
) -> GroupBuyOut:
    access = _access(request, slug)
    gb = group_buy_get(access=access, group_buy_id=group_buy_id)
    closed = group_buy_close(actor=actor_from(request), group_buy=gb)
    return _group_buy_out(access, closed, detail=True)


@router.post(
    "/clusters/{slug}/group-buy-shares/{commitment_id}/paid",
    response=CommitmentOut,
    auth=django_auth,
    summary="Record a charged share paid by bank transfer (admins)",
)
def share_paid_api(
    request: HttpRequest, slug: str, commitment_id: int
) -> CommitmentOut:
    access = _access(request, slug)
    commitment = commitment_get(access=access, commitment_id=commitment_id)
    done = share_payment_record(
        actor=actor_from(request), access=access, commitment=commitment
    )
    return _commitment_out(done)


@router.post(
    "/clusters/{slug}/group-buy-shares/{commitment_id}/offset",
    response=CommitmentOut,
    auth=django_auth,
    summary="Take a charged share off your next payout instead (owners)",
)
def share_offset_api(
    request: HttpRequest, slug: str, commitment_id: int
) -> CommitmentOut:
    access = _access(request, slug)
    commitment = commitment_get(access=access, commitment_id=commitment_id)
    done = share_offset(actor=actor_from(request), access=access, commitment=commitment)
    return _commitment_out(done)


# --- Levies -----------------------------------------------------------------------


class BandIO(InputSchema):
    min_turnover_cents: int = Field(ge=0)
    amount_cents: int = Field(ge=1)


class LevyIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=120)
    period: Literal["annual", "monthly"]
    basis: Literal["flat", "turnover"]
    amount_cents: int = Field(0, ge=0)
    due_days: int = Field(30, ge=0, le=365)
    bands: list[BandIO] = []


class LevyOut(Schema):
    id: int
    name: str
    period: str
    basis: str
    amount_cents: int
    due_days: int
    bands: list[BandIO]


class LevyBillOut(Schema):
    id: int
    levy: int
    member: str
    period_start: dt.date
    turnover_cents: int | None
    amount_cents: int
    due_on: dt.date
    paid_at: dt.datetime | None
    offset_at: dt.datetime | None


def _levy_out(levy: Levy) -> LevyOut:
    return LevyOut(
        id=levy.pk,
        name=levy.name,
        period=levy.period,
        basis=levy.basis,
        amount_cents=levy.amount_cents,
        due_days=levy.due_days,
        bands=[
            BandIO(min_turnover_cents=b.min_turnover_cents, amount_cents=b.amount_cents)
            for b in levy.bands.all()
        ],
    )


def _bill_out(bill: LevyBill) -> LevyBillOut:
    return LevyBillOut(
        id=bill.pk,
        levy=bill.levy_id,
        member=bill.member.slug,
        period_start=bill.period_start,
        turnover_cents=bill.turnover_cents,
        amount_cents=bill.amount_cents,
        due_on=bill.due_on,
        paid_at=bill.paid_at,
        offset_at=bill.offset_at,
    )


@router.get(
    "/clusters/{slug}/levies",
    response=list[LevyOut],
    auth=django_auth,
    summary="The cluster's levies",
)
def levy_list_api(request: HttpRequest, slug: str) -> list[LevyOut]:
    return [_levy_out(levy) for levy in levy_list(access=_access(request, slug))]


@router.post(
    "/clusters/{slug}/levies",
    response={201: LevyOut},
    auth=django_auth,
    summary="Set a levy (admins)",
)
def levy_create_api(
    request: HttpRequest, slug: str, payload: LevyIn
) -> Status[LevyOut]:
    access = _access(request, slug)
    levy = levy_create(
        actor=actor_from(request),
        access=access,
        details=LevyInput(
            name=payload.name,
            period=payload.period,
            basis=payload.basis,
            amount=payload.amount_cents,
            due_days=payload.due_days,
            bands=[(b.min_turnover_cents, b.amount_cents) for b in payload.bands],
        ),
    )
    return Status(201, _levy_out(levy))


@router.post(
    "/clusters/{slug}/levies/{levy_id}/bill",
    response=list[LevyBillOut],
    auth=django_auth,
    summary="Bill the members for the current period (admins; twice bills once)",
)
def levy_bill_api(request: HttpRequest, slug: str, levy_id: int) -> list[LevyBillOut]:
    access = _access(request, slug)
    levy = levy_get(access=access, levy_id=levy_id)
    return [
        _bill_out(b)
        for b in levy_bill(actor=actor_from(request), access=access, levy=levy)
    ]


@router.get(
    "/clusters/{slug}/levy-bills",
    response=list[LevyBillOut],
    auth=django_auth,
    summary="Levy bills: all to admins, your own to a member's team",
)
def levy_bill_list_api(request: HttpRequest, slug: str) -> list[LevyBillOut]:
    access = _access(request, slug)
    return [_bill_out(b) for b in levy_bills_visible(access=access)[:500]]


@router.post(
    "/clusters/{slug}/levy-bills/{bill_id}/paid",
    response=LevyBillOut,
    auth=django_auth,
    summary="Record a levy paid by bank transfer (admins)",
)
def levy_paid_api(request: HttpRequest, slug: str, bill_id: int) -> LevyBillOut:
    access = _access(request, slug)
    bill = levy_bill_get(access=access, bill_id=bill_id)
    return _bill_out(
        levy_payment_record(actor=actor_from(request), access=access, bill=bill)
    )


@router.post(
    "/clusters/{slug}/levy-bills/{bill_id}/offset",
    response=LevyBillOut,
    auth=django_auth,
    summary="Take a levy off your next payout (owners)",
)
def levy_offset_api(request: HttpRequest, slug: str, bill_id: int) -> LevyBillOut:
    access = _access(request, slug)
    bill = levy_bill_get(access=access, bill_id=bill_id)
    return _bill_out(levy_offset(actor=actor_from(request), access=access, bill=bill))


# --- Votes ------------------------------------------------------------------------


class MotionIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(max_length=200)
    body: str = ""
    kind: Literal["yes_no", "choice"]
    options: list[str] = Field([], description="For a choice: 2 to 10.")
    quorum_percent: int = Field(50, ge=0, le=100)
    closes_at: dt.datetime


class OptionOut(Schema):
    id: int
    label: str
    votes: int | None = Field(description="Counted at close; null while voting.")


class MotionOut(Schema):
    id: int
    title: str
    body: str
    kind: str
    quorum_percent: int
    closes_at: dt.datetime
    closed_at: dt.datetime | None
    electorate: int | None
    turnout: int | None
    result: str
    winner: int | None
    options: list[OptionOut]
    your_votes: dict[str, int] = Field(
        description="Your businesses' ballots: member slug -> option id."
    )
    minutes: bool
    minutes_url: str | None = Field(
        description="The access-checked download page of the minutes; null: none."
    )


def _motion_out(access: Access, motion: Motion) -> MotionOut:
    tally = motion.tally or {}
    closed = motion.closed_at is not None
    return MotionOut(
        id=motion.pk,
        title=motion.title,
        body=motion.body,
        kind=motion.kind,
        quorum_percent=motion.quorum_percent,
        closes_at=motion.closes_at,
        closed_at=motion.closed_at,
        electorate=motion.electorate,
        turnout=motion.turnout,
        result=motion.result,
        winner=motion.winner_id,
        options=[
            OptionOut(
                id=o.pk,
                label=o.label,
                votes=int(tally.get(str(o.pk), 0)) if closed else None,
            )
            for o in motion.options.all()
        ],
        your_votes={
            b.member.slug: b.option_id
            for b in own_ballots(access=access, motion=motion).values()
        },
        minutes=bool(motion.minutes),
        minutes_url=(
            reverse("cooperation:vote-minutes", args=[access.cluster.slug, motion.pk])
            if motion.minutes
            else None
        ),
    )


@router.get(
    "/clusters/{slug}/votes",
    response=list[MotionOut],
    auth=django_auth,
    summary="The cluster's votes",
)
def motion_list_api(request: HttpRequest, slug: str) -> list[MotionOut]:
    access = _access(request, slug)
    return [_motion_out(access, m) for m in motion_list(access=access)[:100]]


@router.post(
    "/clusters/{slug}/votes",
    response={201: MotionOut},
    auth=django_auth,
    summary="Open a vote (admins)",
)
def motion_open_api(
    request: HttpRequest, slug: str, payload: MotionIn
) -> Status[MotionOut]:
    access = _access(request, slug)
    motion = motion_open(
        actor=actor_from(request),
        access=access,
        details=MotionInput(**payload.model_dump()),
    )
    return Status(201, _motion_out(access, motion))


@router.get(
    "/clusters/{slug}/votes/{motion_id}",
    response=MotionOut,
    auth=django_auth,
    summary="A vote, its result once closed, and your ballots",
)
def motion_get_api(request: HttpRequest, slug: str, motion_id: int) -> MotionOut:
    access = _access(request, slug)
    return _motion_out(access, motion_get(access=access, motion_id=motion_id))


class BallotIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    option: int
    member: str = ""


@router.post(
    "/clusters/{slug}/votes/{motion_id}/ballot",
    response=MotionOut,
    auth=django_auth,
    summary="Cast or change your business's vote (owners; until it closes)",
)
def ballot_cast_api(
    request: HttpRequest, slug: str, motion_id: int, payload: BallotIn
) -> MotionOut:
    access = _access(request, slug)
    motion = motion_get(access=access, motion_id=motion_id)
    ballot_cast(
        actor=actor_from(request),
        access=access,
        motion=motion,
        option=payload.option,
        member=payload.member or None,
    )
    return _motion_out(access, motion)


@router.post(
    "/clusters/{slug}/votes/{motion_id}/close",
    response=MotionOut,
    auth=django_auth,
    summary="Close a vote now and record its result (admins)",
)
def motion_close_api(request: HttpRequest, slug: str, motion_id: int) -> MotionOut:
    access = _access(request, slug)
    motion = motion_get(access=access, motion_id=motion_id)
    closed = motion_close(actor=actor_from(request), motion=motion)
    return _motion_out(access, motion_get(access=access, motion_id=closed.pk))


@router.post(
    "/clusters/{slug}/votes/{motion_id}/minutes",
    response=MotionOut,
    auth=django_auth,
    summary="Attach the minutes (admins; multipart ``minutes``: PDF, JPEG or PNG)",
)
def minutes_attach_api(
    request: HttpRequest, slug: str, motion_id: int, minutes: File[UploadedFile]
) -> MotionOut:
    access = _access(request, slug)
    motion = motion_get(access=access, motion_id=motion_id)
    minutes_attach(
        actor=actor_from(request), access=access, motion=motion, upload=minutes
    )
    return _motion_out(access, motion_get(access=access, motion_id=motion.pk))


# --- Shared customers ------------------------------------------------------------


class SharedCustomerOut(Schema):
    name: str
    email: str
    order_number: str
    consented_at: dt.datetime
    wording: str
    makers: list[str]


@router.get(
    "/clusters/{slug}/shared-customers",
    response=list[SharedCustomerOut],
    auth=django_auth,
    summary="Customers of orders you shared who agreed to hear from the makers",
)
def shared_customers_api(
    request: HttpRequest, slug: str, member: Annotated[str, Query(max_length=64)] = ""
) -> list[SharedCustomerOut]:
    access = _access(request, slug)
    if not access.members:
        raise NotPermitted(
            CooperationErrorCode.NOT_A_MEMBER, "Only member businesses see customers."
        )
    business = next((m for m in access.members if m.slug == member), access.members[0])
    return [
        SharedCustomerOut(
            name=c.name,
            email=c.email,
            order_number=c.order_number,
            consented_at=c.consented_at,
            wording=c.wording,
            makers=list(c.makers),
        )
        for c in shared_customers(access=access, member=business)
    ]
