"""The clusters app's API: the finder, directory and applications routers."""

from ninja import Router

from . import applications, directory, finder

router = Router()
router.add_router("/", finder.router)
router.add_router("/", directory.router)
router.add_router("/", applications.router)
