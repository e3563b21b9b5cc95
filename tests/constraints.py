"""Writing past the forms, straight into the database, to test its rules."""

import pgtrigger
import pytest
from django.db import IntegrityError, models, transaction


def is_append_only(model: type[models.Model]) -> bool:
    return any(
        isinstance(trigger, pgtrigger.Protect) for trigger in getattr(model._meta, "triggers", [])
    )


def assert_database_refuses(row: models.Model, field: str, value, constraint: str) -> None:
    """Setting `field` of `row` to `value` in the database fails on `constraint`.

    An UPDATE, as any writer could do it; for an append-only table, whose
    trigger refuses every update anyway, the same row inserted once more.
    """
    model = type(row)
    if is_append_only(model):
        row.pk = None
        row._state.adding = True
        setattr(row, field, value)
        write = row.save
    else:

        def write():
            model.objects.filter(pk=row.pk).update(**{field: value})

    with transaction.atomic(), pytest.raises(IntegrityError, match=constraint):
        write()
