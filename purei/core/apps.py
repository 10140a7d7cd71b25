from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "purei.core"
    label = "core"

    def ready(self) -> None:
        from . import checks  # noqa: F401  # registers Pūrei's system checks
