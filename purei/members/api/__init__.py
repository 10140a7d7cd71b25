"""The members app's API routers, gathered (as the clusters app does)."""

from ninja import Router

from . import members

router = Router()
router.add_router("/", members.router)
