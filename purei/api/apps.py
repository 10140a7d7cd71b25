from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "purei.api"
    label = "api"
