from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "purei.web"
    label = "web"
