"""Which models hold data about a client: every model with a path of foreign keys (or
many-to-many relations, such as a bottleneck's trajectories) to `cases.Client`.

Shared by the walks that must not forget a model: the change history
(tests/audit/test_history.py) and the subject-access export (tests/privacy).
"""

import pghistory.models
from django.apps import apps
from django.db import models

from cases.models import Client


def path_to_client(model, seen=()) -> bool:
    if model is Client:
        return True
    if model in seen or issubclass(model, pghistory.models.Event):
        return False
    relations = [
        field
        for field in (*model._meta.concrete_fields, *model._meta.many_to_many)
        if isinstance(field, models.ForeignKey | models.ManyToManyField)
    ]
    return any(
        path_to_client(field.related_model, (*seen, model))
        for field in relations
        if field.related_model is not None and field.related_model._meta.app_label != "accounts"
    )


def client_bound_models(app_labels) -> set[str]:
    """The labels of the concrete models of these apps with a path to a client."""
    return {
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in app_labels and not model._meta.proxy and path_to_client(model)
    }
