# Load the Celery app with Django so `delay_on_commit` uses its configuration.
from rio.celery import app as celery_app

__all__ = ("celery_app",)
