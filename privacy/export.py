"""The subject-access export (PR-2, AVG art. 15): everything stored about one client.

`PARTS` is the one list of what is stored about a client and how each model
reaches them. `tests/privacy/test_export.py` walks every model of the project
and fails when one with a path to a client is missing here, so a new model
cannot be forgotten. Rows are read and written by introspection (every
concrete field), so a new field is in the export without a change here.

The zip holds a PDF for the young person (`inzage.pdf`, headed sections in
Dutch), a JSON file with every field of every row (`gegevens.json`, dates in
ISO 8601, the BSN decrypted: the only place it is shown in full), the change
history of those rows, the access overview, and the uploaded files
(`bestanden/`). It is built in a temporary file, never as one string in memory.
"""

from __future__ import annotations

import datetime
import io
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from functools import cached_property

import weasyprint
from django.apps import apps
from django.contrib.postgres.fields import ArrayField
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.text import capfirst, get_valid_filename
from django.utils.translation import gettext as _

from cases.models import Client, Document
from lifedomains.personal_plan import STATIC_BASE_URL
from privacy.access_overview import Line, lines_of


@dataclass(frozen=True)
class Part:
    """One model in the export and the lookup from its rows to the client's number."""

    label: str
    path: str
    # False: in the JSON only (a technical record the PDF shows otherwise or not at all).
    pdf: bool = True

    @cached_property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)

    def rows(self, client_pk: int) -> models.QuerySet:
        # Through the primary keys, so a path over a many-to-many relation
        # (a bottleneck's trajectories) gives each row once.
        manager = self.model._base_manager
        return manager.filter(pk__in=manager.filter(**{self.path: client_pk}).values("pk"))


# In this order: a row's foreign keys point to parts above it, so the PDF names
# them from what is already loaded.
PARTS = [
    Part("cases.Client", "id"),
    Part("cases.Trajectory", "client"),
    Part("partners.DetentionPlace", "trajectory__client"),
    Part("cases.ContactMoment", "trajectory__client"),
    Part("cases.NetworkMember", "client"),
    Part("cases.Document", "client"),
    Part("cases.DJIMessage", "trajectory__client"),
    Part("lifedomains.Assessment", "trajectory__client"),
    Part("lifedomains.DomainScore", "assessment__trajectory__client"),
    Part("lifedomains.ReadinessItem", "trajectory__client"),
    # The checklist's status history (pghistory), shown in the PDF by the checklist itself.
    Part("lifedomains.ReadinessItemEvent", "trajectory__client", pdf=False),
    Part("partners.Involvement", "trajectory__client"),
    Part("partners.SharingBasis", "trajectory__client"),
    Part("partners.PartnerRequest", "trajectory__client"),
    Part("partners.CaseConference", "trajectory__client"),
    Part("partners.Agreement", "conference__trajectory__client"),
    Part("lifedomains.Goal", "trajectory__client"),
    Part("lifedomains.Action", "goal__trajectory__client"),
    Part("lifedomains.PersonalPlan", "trajectory__client"),
    Part("partners.Bottleneck", "trajectories__client"),
    Part("partners.BottleneckEvent", "bottleneck__trajectories__client"),
    Part("followup.FollowUpMoment", "trajectory__client"),
    # Which version of the schedule rules planned the moments: technical, JSON only.
    Part("followup.FollowUpSchedule", "trajectory__client", pdf=False),
    Part("followup.Notification", "trajectory__client"),
    Part("cases.TimelineEvent", "trajectory__client"),
    # The PDF shows these as the access overview (who, role, team), not row by row.
    Part("audit.AccessLogEntry", "client_ref", pdf=False),
]

# Technical fields the young person's PDF leaves out; the JSON has them all.
PDF_HIDDEN = {"id", "version", "bsn_index", "file", "client"}


def foreign_keys(model) -> list[models.ForeignKey]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]


def many_to_many(model) -> list[models.ManyToManyField]:
    return list(model._meta.many_to_many)


@dataclass
class Loaded:
    part: Part
    rows: list[models.Model]


def load(client: Client) -> list[Loaded]:
    """The rows of every part, with their foreign keys to earlier parts taken from
    what is loaded (no query per row) and the rest joined in."""
    exported = {part.model for part in PARTS}
    seen: dict[tuple[type, object], models.Model] = {}
    loaded = []
    for part in PARTS:
        model = part.model
        fks = foreign_keys(model)
        joined = [f.name for f in fks if f.related_model not in exported]
        rows = list(
            part.rows(client.pk)
            .select_related(*joined)
            .prefetch_related(*(f.name for f in many_to_many(model)))
        )
        for row in rows:
            for field in fks:
                target = seen.get((field.related_model, getattr(row, field.attname)))
                if target is not None:
                    setattr(row, field.name, target)
            seen[(model, row.pk)] = row
        loaded.append(Loaded(part, rows))
    return loaded


# --- JSON ------------------------------------------------------------------------------


def json_value(obj: models.Model, field: models.Field):
    value = field.value_from_object(obj)
    if isinstance(value, FieldFile):
        return value.name or None
    return value


def row_as_json(obj: models.Model, exported_pks: dict[type, set]) -> dict:
    """Every concrete field by its column name (a foreign key as its id); many-to-many
    as ids, limited to this client's rows where the other side is in the export
    (a bottleneck's trajectories of other young people are not theirs to see)."""
    data = {field.attname: json_value(obj, field) for field in obj._meta.concrete_fields}
    for field in many_to_many(type(obj)):
        pks = [related.pk for related in getattr(obj, field.name).all()]
        if field.related_model in exported_pks:
            pks = [pk for pk in pks if pk in exported_pks[field.related_model]]
        data[field.name] = pks
    return data


def history_rows(part: Part, client_pk: int, ids: list):
    """The change history (`<Model>History`, django-pghistory) of a part's rows: by the
    same path where the history copies its first step, so the history of a removed
    record is found too; else by the ids of the rows exported."""
    relation = getattr(part.model, "history", None)
    if relation is None:
        return None, None
    history = relation.rel.related_model
    first = part.path.split("__")[0]
    names = {field.name for field in history._meta.concrete_fields}
    lookup = {part.path: client_pk} if first in names else {"id__in": ids}
    rows = history.objects.filter(**lookup).select_related("pgh_context").order_by("pgh_id")
    return history, rows


def write_json(out: io.TextIOBase, client: Client, loaded: list[Loaded], files: list[dict]):
    """Written piece by piece; the history rows are streamed from the database."""
    encoder = DjangoJSONEncoder(ensure_ascii=False)
    exported_pks = {item.part.model: {row.pk for row in item.rows} for item in loaded}
    header = {"client_number": client.pk, "made_at": timezone.now(), "files": files}
    out.write(encoder.encode(header)[:-1])
    out.write(', "records": {')
    for number, item in enumerate(loaded):
        rows = [row_as_json(row, exported_pks) for row in item.rows]
        out.write(("" if number == 0 else ", ") + f"{encoder.encode(item.part.label)}: ")
        out.write(encoder.encode(rows))
    out.write('}, "history": {')
    first = True
    for item in loaded:
        history, rows = history_rows(item.part, client.pk, [row.pk for row in item.rows])
        if history is None:
            continue
        out.write(("" if first else ", ") + f"{encoder.encode(history._meta.label)}: [")
        first = False
        for index, event in enumerate(rows.iterator(chunk_size=500)):
            data = {field.attname: json_value(event, field) for field in history._meta.fields}
            context = event.pgh_context
            data["pgh_context"] = context.metadata if context else None
            out.write(("" if index == 0 else ", ") + encoder.encode(data))
        out.write("]")
    overview = [Line.of(entry).as_json() for entry in lines_of(client.pk)]
    out.write('}, "access_overview": ' + encoder.encode(overview) + "}")


# --- PDF -------------------------------------------------------------------------------


def display(obj: models.Model, field: models.Field) -> str | None:
    """A field's value as the young person reads it, or None when empty."""
    value = field.value_from_object(obj)
    if value is None or value == "" or value == []:
        return None
    if isinstance(field, models.ForeignKey):
        return str(getattr(obj, field.name))
    if isinstance(field, ArrayField):
        labels = dict(field.base_field.flatchoices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def pdf_sections(loaded: list[Loaded]) -> list[dict]:
    sections = []
    for item in loaded:
        if not item.part.pdf:
            continue
        meta = item.part.model._meta
        fields = [f for f in meta.concrete_fields if f.name not in PDF_HIDDEN]
        rows = []
        for row in item.rows:
            facts = [(capfirst(str(f.verbose_name)), display(row, f)) for f in fields]
            for field in many_to_many(type(row)):
                names = ", ".join(str(related) for related in getattr(row, field.name).all())
                facts.append((capfirst(str(field.verbose_name)), names or None))
            rows.append({"title": str(row), "facts": [(k, v) for k, v in facts if v]})
        sections.append({"title": capfirst(str(meta.verbose_name_plural)), "rows": rows})
    return sections


def render_pdf(client: Client, loaded: list[Loaded], request=None) -> bytes:
    context = {
        "client": client,
        "sections": pdf_sections(loaded),
        "lines": [Line.of(entry) for entry in lines_of(client.pk)],
        "made_on": timezone.localdate(),
    }
    html = render_to_string("privacy/export_pdf.html", context, request)
    return weasyprint.HTML(string=html, base_url=STATIC_BASE_URL).write_pdf(pdf_variant="pdf/ua-1")


# --- The zip ---------------------------------------------------------------------------


def document_path(document: Document) -> str:
    return f"bestanden/{document.pk}-{get_valid_filename(document.original_name) or 'bestand'}"


def write_files(archive: zipfile.ZipFile, loaded: list[Loaded]) -> list[dict]:
    """Copy each uploaded file into the zip in chunks; a file missing on disk is listed so."""
    files = []
    documents = next(item.rows for item in loaded if item.part.model is Document)
    for document in documents:
        path = document_path(document)
        try:
            with document.file.open("rb") as source, archive.open(path, "w") as target:
                shutil.copyfileobj(source, target, 64 * 1024)
        except (OSError, ValueError):
            files.append({"document_id": document.pk, "path": None, "missing": True})
        else:
            files.append({"document_id": document.pk, "path": path, "missing": False})
    return files


def build_zip(client: Client, request=None):
    """The export as a zip in a temporary file (deleted when closed), at its start."""
    loaded = load(client)
    # Not a `with`: the response streams it and closes it (and so deletes it) when sent.
    spool = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            files = write_files(archive, loaded)
            with archive.open("gegevens.json", "w") as raw:
                out = io.TextIOWrapper(raw, encoding="utf-8")
                write_json(out, client, loaded, files)
                out.flush()
                out.detach()
            archive.writestr("inzage.pdf", render_pdf(client, loaded, request))
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool
