"""Load the demo data. Safe to run again: it updates what is there."""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from accounts.demo import DEMO_PASSWORD, USERS


class Command(BaseCommand):
    help = "Load demo municipalities, teams, users and caseloads (idempotent). Demo only."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even outside the demo. Never on a production database.",
        )

    def handle(self, *args, force: bool = False, **options):
        # The demo (the embedded database) runs with DEBUG off like production;
        # a DATABASE_URL is someone's real database unless DEBUG says otherwise.
        if not (settings.RIO_DEMO or settings.DEBUG) and not force:
            raise CommandError(
                "seed_demo creates users with a known password and refuses to run outside "
                "the demo (with a DATABASE_URL and DEBUG off). Use --force only on a demo "
                "or test database."
            )
        # Each app seeds its own demo data in its `demo.seed()`; PROJECT_APPS
        # lists the apps in the direction of their imports, so what an app
        # needs is there before it runs. accounts never imports the others.
        with transaction.atomic():
            for name in settings.PROJECT_APPS:
                if module_has_submodule(apps.get_app_config(name).module, "demo"):
                    demo_module(name).seed()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Log in with one of these users, password '{DEMO_PASSWORD}':")
        for username, first_name, last_name, role, _where in USERS:
            self.stdout.write(f"  {username:<10} {first_name} {last_name} ({role.label})")


def demo_module(app: str):
    """The app's demo module. Demo data is made with the development
    dependencies (Faker), which the production image does not have."""
    try:
        return import_module(f"{app}.demo")
    except ModuleNotFoundError as error:
        raise CommandError(
            f"seed_demo needs the development dependencies ({error.name} is not installed): "
            "pip install -r requirements-dev.txt"
        ) from error
