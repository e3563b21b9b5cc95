"""Every text choice field of the project has a database check built from its
choices, so a new field or a new choice cannot be left unchecked or drift."""

import pghistory.models
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q


def text_choice_fields():
    for name in settings.PROJECT_APPS:
        for model in apps.get_app_config(name).get_models():
            # A change-history row copies a row the source table's check passed.
            if issubclass(model, pghistory.models.Event) and not model._meta.constraints:
                continue
            # A proxy (privacy's admin list of clients) is its concrete model's table,
            # checked there.
            if model._meta.proxy:
                continue
            for field in model._meta.get_fields():
                inner = field.base_field if isinstance(field, ArrayField) else field
                if isinstance(inner, models.CharField) and inner.choices:
                    label = f"{model._meta.label}.{field.name}"
                    yield pytest.param(model, field.name, inner, id=label)


def lookups(condition: Q):
    for child in condition.children:
        if isinstance(child, Q):
            yield from lookups(child)
        else:
            yield child


@pytest.mark.parametrize(("model", "name", "field"), list(text_choice_fields()))
def test_every_text_choice_field_is_checked_against_exactly_its_choices(model, name, field):
    checked = set()
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.CheckConstraint):
            for lookup, value in lookups(constraint.condition):
                if lookup in (f"{name}__in", f"{name}__contained_by"):
                    checked |= set(value)
    assert checked, f"no CheckConstraint on {model.__name__}.{name}"
    assert checked == {value for value, _label in field.flatchoices}
