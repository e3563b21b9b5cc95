"""The dashboard's tables as files: CSV (as on the page) and XLSX (numbers as numbers).

A table is written from the same `Table` the page shows, so it is already
suppressed (`reports.suppression`): a "<5" stays "<5", never the number. Above
the table stand what it is (caption, explanation), the period, whose
trajectories, how to read the marks and when the file was made.

Every text cell is neutralised for spreadsheets (BI-4): a team, caseworker or
municipality named "=HYPERLINK(...)" or "+31..." must not become a formula when
the file is opened. Numbers the reports compute (counts, `Measure`) are numbers,
not text, and are written as such.

The CSV is what Dutch Excel opens with a double click: UTF-8 with a byte order
mark, `;` between cells, and the figures as the page shows them (decimal comma,
"45%"). The XLSX has counts as whole numbers and shares, means and medians as
their value (rounded as on the page) with a number format showing the unit.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from reports.indicators import Dashboard, Measure, Period, Scope, Table
from reports.indicators.base import NOT_SHOWN
from reports.suppression import HIDDEN, SMALL

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What a spreadsheet reads as the start of a formula (or, for tab and carriage
# return, what it strips before it does), OWASP "CSV injection".
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Excel's limit for a sheet's name, and the characters it refuses in one.
SHEET_TITLE_LENGTH = 31
SHEET_TITLE_REFUSED = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))


def neutralised(text: str) -> str:
    """`text` as a spreadsheet shows it and never runs it: a leading `= + - @`, tab or
    carriage return gets a single quote before it. Control characters that XLSX cannot
    hold are dropped first (so they cannot hide a formula behind them)."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return f"'{text}" if text.startswith(FORMULA_START) else text


Value = int | Measure | str | None


@dataclass(frozen=True)
class Sheet:
    """One sheet of a file (a CSV is one sheet): its rows, and which of them are headings."""

    title: str
    rows: Iterable[Sequence[Value]]
    headings: frozenset[int] = frozenset()


# --- A table and what the file says about it -------------------------------------------------


def about(dashboard: Dashboard, produced: datetime.datetime) -> list[list[Value]]:
    """The lines above every table: period, scope, the marks, and when the file was made."""
    lines: list[list[Value]] = [
        [_("Period"), str(dashboard.period)],
        [_("Whose trajectories"), str(dashboard.scope)],
    ]
    if dashboard.compare:
        lines.append([_("Compared with"), str(dashboard.scope.columns()[1])])
    lines += [
        [
            _("Small numbers"),
            _("Figures only, never a name: fewer than 5 young people are never shown as a number."),
        ],
        [
            SMALL,
            _("1 to 4 young people: too few to show, so nobody can be recognised."),
        ],
        [
            str(HIDDEN),
            _(
                "5 or more, hidden because otherwise the number below 5 could be worked "
                "out from the total."
            ),
        ],
        [NOT_SHOWN, _("An average over fewer than 5 young people is not shown.")],
        [_("Produced on"), date_format(timezone.localtime(produced), "j F Y H:i")],
    ]
    return lines


def table_sheet(dashboard: Dashboard, table: Table, produced: datetime.datetime) -> Sheet:
    lines: list[list[Value]] = [[table.caption], [table.explanation], []]
    lines += about(dashboard, produced)
    lines.append([])
    headings = {0, len(lines)}
    lines.append([table.header or _("Group"), *table.columns])
    lines += [[row.label, *row.cells] for row in table.rows]
    if not table.rows:
        lines.append([_("No trajectories.")])
    if table.total is not None:
        lines.append([table.total.label, *table.total.cells])
    return Sheet(title=table.key, rows=lines, headings=frozenset(headings))


def file_name(scope: Scope, period: Period, name: str, extension: str) -> str:
    """e.g. `rio-started-dordrecht-2025-01-01-2025-12-31.csv`; ASCII only."""
    whose = slugify(str(scope)) or "scope"
    return f"rio-{slugify(name)}-{whose}-{period.start:%Y-%m-%d}-{period.end:%Y-%m-%d}.{extension}"


def table_response(dashboard: Dashboard, table: Table, extension: str) -> HttpResponse:
    """One table as a CSV or XLSX download."""
    sheet = table_sheet(dashboard, table, timezone.now())
    name = file_name(dashboard.scope, dashboard.period, table.key, extension)
    if extension == "csv":
        return download(b"".join(csv_lines(sheet.rows)), CSV_TYPE, name)
    return download(xlsx_bytes([sheet]), XLSX_TYPE, name)


def dashboard_response(dashboard: Dashboard) -> HttpResponse:
    """Every table of the dashboard in one XLSX, a sheet per table."""
    produced = timezone.now()
    sheets = [table_sheet(dashboard, table, produced) for table in dashboard.tables]
    return download(
        xlsx_bytes(sheets),
        XLSX_TYPE,
        file_name(dashboard.scope, dashboard.period, "dashboard", "xlsx"),
    )


def download(content: bytes, content_type: str, name: str) -> HttpResponse:
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(True, name)},
    )


# --- The writers --------------------------------------------------------------------------------


def csv_text(value: Value) -> str:
    """A cell as the page shows it: a count as digits, a Measure as formatted (decimal
    comma, unit), a mark or label as neutralised text."""
    if value is None:
        return ""
    if isinstance(value, int | Measure):
        return str(value)
    return neutralised(str(value))


class Line:
    """The file-like `csv.writer` writes to: it hands back each line it is given."""

    def write(self, line: str) -> str:
        return line


def csv_lines(rows: Iterable[Sequence[Value]]) -> Iterator[bytes]:
    """The rows as CSV for Dutch Excel, line by line (so a long file can stream): UTF-8
    with a byte order mark, `;` between cells."""
    writer = csv.writer(Line(), delimiter=";")
    yield "\ufeff".encode()
    for row in rows:
        yield writer.writerow([csv_text(value) for value in row]).encode()


def number_format(measure: Measure) -> str:
    """Excel's format for a Measure: its digits, and its unit as literal text (45 → "45%")."""
    digits = f"0.{'0' * measure.digits}" if measure.digits else "0"
    unit = measure.unit.replace('"', "")
    return f'{digits}"{unit}"' if unit else digits


def xlsx_cell(sheet, value: Value, *, bold: bool = False):
    if isinstance(value, Measure):
        cell = WriteOnlyCell(sheet, value=round(value.value, value.digits))
        cell.number_format = number_format(value)
    elif value is None or (isinstance(value, int) and not isinstance(value, bool)):
        cell = WriteOnlyCell(sheet, value=value)
    else:
        # A string cell whatever the text: openpyxl would take text starting with "="
        # for a formula. The quote from `neutralised` stays visible, so a reader sees
        # that the text was changed.
        cell = WriteOnlyCell(sheet, value=neutralised(str(value)))
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def sheet_titles(sheets: Sequence[Sheet]) -> list[str]:
    """Each sheet's title as Excel accepts it: short enough, no refused characters, unique."""
    titles: list[str] = []
    for sheet in sheets:
        base = sheet.title.translate(SHEET_TITLE_REFUSED)[:SHEET_TITLE_LENGTH] or "sheet"
        title, number = base, 1
        while title.lower() in (taken.lower() for taken in titles):
            number += 1
            suffix = f"-{number}"
            title = base[: SHEET_TITLE_LENGTH - len(suffix)] + suffix
        titles.append(title)
    return titles


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as one XLSX workbook (openpyxl's write-only mode: row by row)."""
    workbook = Workbook(write_only=True)
    for sheet, title in zip(sheets, sheet_titles(sheets), strict=True):
        worksheet = workbook.create_sheet(title)
        worksheet.column_dimensions["A"].width = 48
        for index, row in enumerate(sheet.rows):
            bold = index in sheet.headings
            worksheet.append([xlsx_cell(worksheet, value, bold=bold) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
