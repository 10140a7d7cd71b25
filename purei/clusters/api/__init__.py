"""The clusters app's API: the finder, directory, applications and management
routers."""

from ninja import Router

from . import applications, directory, finder, listing_rules, manage

router = Router()
router.add_router("/", finder.router)
router.add_router("/", directory.router)
router.add_router("/", applications.router)
router.add_router("/", manage.router)
router.add_router("/", listing_rules.router)
