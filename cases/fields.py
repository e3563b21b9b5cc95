"""Free text with a bound: no 100 000-character note in the database.

A `FreeTextField` is a `varchar(n)` in PostgreSQL (so every writer, `.update()`
and bulk inserts included, is held to the bound) and a textarea in forms, whose
`maxlength` the browser keeps and whose validation names the limit in Dutch.
Every app's notes, summaries and descriptions use it.
"""

from __future__ import annotations

from django import forms
from django.db import models

# A note, summary or description: a few pages of text at most.
LONG_TEXT = 10_000
# A sentence or two: a reason, a wish, words for the young person.
SHORT_TEXT = 2_000


class FreeTextField(models.CharField):
    def __init__(self, *args, max_length: int = LONG_TEXT, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"widget": forms.Textarea, **kwargs})


def bounded(model: type[models.Model], field_name: str) -> int:
    """The bound of a model's free-text field, for a plain form that fills it."""
    return model._meta.get_field(field_name).max_length
