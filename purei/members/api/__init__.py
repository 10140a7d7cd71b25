"""The members app's API routers, gathered (as the clusters app does)."""

from ninja import Router

from . import members, memberships

router = Router()
router.add_router("/", members.router)
router.add_router("/", memberships.router)
