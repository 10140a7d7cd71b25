from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "purei.core"
    label = "core"
