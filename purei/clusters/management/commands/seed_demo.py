from django.core.management.base import BaseCommand


class Command(BaseCommand):  # replaced by the directory/seed work
    help = "Load the demo's seed clusters and demo logins (idempotent)."

    def handle(self, *args: object, **options: object) -> None:
        pass
