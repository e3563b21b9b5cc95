"""Indicators 1 and 2: the caseload, and who the young people are.

Both are counted in one query: an aggregate with a filtered Count per cell, each
cell counted for the scope and for the whole country. Lists of variable length
(caseworkers, municipalities of settlement) take one grouped query each.

A trajectory counts once per cell: the figures count trajectories, and a young
person has at most one open trajectory at a time.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Func, IntegerField, Q
from django.utils.translation import gettext_lazy as _

from cases.models import TARGET_AGE_MAX, TARGET_AGE_MIN, Client, Trajectory, status_on
from reports.indicators.base import Period, Scope, Section, Table, figures, measures, table

# --- The cells, each a condition on a trajectory -----------------------------------------------


class AgeAtStart(Func):
    """Whole years between the date of birth and the start of guidance, as `cases.models.age_on`.

    PostgreSQL's age() counts whole months and years the way a birthday does
    (someone born on 29 February turns a year older on 1 March).
    """

    template = "CAST(EXTRACT(YEAR FROM AGE(%(expressions)s)) AS integer)"
    output_field = IntegerField()

    def __init__(self, **extra):
        super().__init__(F("started_on"), F("client__date_of_birth"), **extra)


AGE_BANDS = [
    ("18_20", _("18 to 20"), Q(age_at_start__range=(18, 20))),
    ("21_23", _("21 to 23"), Q(age_at_start__range=(21, 23))),
    ("24_27", _("24 to 27"), Q(age_at_start__range=(24, 27))),
    (
        "outside",
        _("Younger than 18 or older than 27"),
        Q(age_at_start__lt=TARGET_AGE_MIN) | Q(age_at_start__gt=TARGET_AGE_MAX),
    ),
]


def status_at(day: datetime.date) -> list[tuple[str, object, Q]]:
    """The status a trajectory had at the end of `day` (`cases.models.status_on`), as
    (key, label, condition) cells.

    Counted are the trajectories open on at least one day of the period (see
    `cells`), so a trajectory closed before the period does not count as closed.
    """
    return [
        (status, Trajectory.Status(status).label, condition)
        for status, condition in status_on(day).items()
    ]


def started_in(period: Period) -> Q:
    """Guidance started in the period: the trajectories the target group describes."""
    return Q(started_on__gte=period.start, started_on__lte=period.end)


def cells(period: Period) -> dict[str, list[tuple[str, object, Q]]]:
    """Every counted cell by table: (key, label, condition on a trajectory)."""
    # Open on at least one day of the period: started by its end, not ended before it.
    existing = Q(started_on__lte=period.end) & (
        Q(ended_on__isnull=True) | Q(ended_on__gte=period.start)
    )
    started = started_in(period)
    ended = Q(ended_on__gte=period.start, ended_on__lte=period.end)
    return {
        "status": [(key, label, existing & q) for key, label, q in status_at(period.end)],
        "started": [("started", _("Started in the period"), started)],
        "ended": [
            (reason.value, reason.label, ended & Q(end_reason=reason.value))
            for reason in Trajectory.EndReason
        ],
        "age": [(key, label, started & q) for key, label, q in AGE_BANDS],
        "offences": [
            *(
                (offence.value, offence.label, started & Q(offences__contains=[offence.value]))
                for offence in Trajectory.Offence
            ),
            ("none", _("None recorded"), started & Q(offences=[])),
        ],
        "lvb": [(lvb.value, lvb.label, started & Q(client__lvb=lvb.value)) for lvb in Client.LVB],
        "address": [
            (kind.value, kind.label, started & Q(client__address_kind=kind.value))
            for kind in Client.AddressKind
        ],
    }


def counts(scope: Scope, by_table) -> dict[str, dict[str, tuple[int, int]]]:
    """(scope, national) per cell of `cells()`, by table, in one query."""
    within = scope.condition()
    aggregates = {}
    for name, table_cells in by_table.items():
        for key, _label, condition in table_cells:
            aggregates[f"{name}__{key}__own"] = Count("pk", filter=within & condition)
            aggregates[f"{name}__{key}__all"] = Count("pk", filter=condition)
    result = Trajectory.objects.alias(age_at_start=AgeAtStart()).aggregate(**aggregates)
    return {
        name: {
            key: (result[f"{name}__{key}__own"], result[f"{name}__{key}__all"])
            for key, _label, _condition in table_cells
        }
        for name, table_cells in by_table.items()
    }


# --- Indicator 1: the caseload -----------------------------------------------------------------


def counted_table(
    scope: Scope, key, caption, explanation, by_table, found, *, with_total=True
) -> Table:
    table_cells = by_table[key]
    return table(
        scope,
        key,
        caption,
        explanation,
        [label for _key, label, _q in table_cells],
        [found[key][cell][0] for cell, _label, _q in table_cells],
        [found[key][cell][1] for cell, _label, _q in table_cells],
        with_total=with_total,
    )


def caseworker_name(row: dict) -> str:
    name = f"{row['caseworker__first_name']} {row['caseworker__last_name']}".strip()
    return name or row["caseworker__username"]


def caseload_tables(scope: Scope, period: Period, by_table, found) -> list[Table]:
    """Indicator 1: how many trajectories, in which status, coming in and going out."""
    within = scope.condition()
    tables = [
        counted_table(
            scope,
            "status",
            _("Trajectories by status at the end of the period"),
            _(
                "The trajectories that were open on at least one day of the period, by "
                "their status on its last day. The status is read from the dates: closed "
                "once the end date has passed, aftercare once the release has passed, "
                "detention once the detention has started, otherwise registration."
            ),
            by_table,
            found,
        ),
        counted_table(
            scope,
            "started",
            _("Trajectories started in the period"),
            _("Trajectories whose guidance started in the period."),
            by_table,
            found,
            with_total=False,
        ),
        counted_table(
            scope,
            "ended",
            _("Trajectories ended in the period, by reason"),
            _("Trajectories whose end date is in the period, by the reason for ending."),
            by_table,
            found,
        ),
    ]
    # The caseworker is today's (a handover moves the whole trajectory), so this is
    # today's caseload by the rule the caseworker's own page uses.
    per_caseworker = list(
        Trajectory.objects.open()
        .filter(within)
        .values("caseworker")
        .annotate(open_trajectories=Count("pk"))
        .values(
            "caseworker__first_name",
            "caseworker__last_name",
            "caseworker__username",
            "open_trajectories",
        )
        .order_by("caseworker__first_name", "caseworker__last_name", "caseworker__username")
    )
    tables.append(
        table(
            scope,
            "caseworkers",
            _("Open trajectories per caseworker, today"),
            _(
                "The trajectories that are open today (not closed), by their caseworker "
                "today. Caseworkers without open trajectories are not listed."
            ),
            [caseworker_name(row) for row in per_caseworker],
            [row["open_trajectories"] for row in per_caseworker],
            None,
            header=_("Caseworker"),
        )
    )
    means = Trajectory.objects.open().aggregate(
        own=Count("pk", filter=within),
        own_caseworkers=Count("caseworker", distinct=True, filter=within),
        national=Count("pk"),
        national_caseworkers=Count("caseworker", distinct=True),
    )
    tables.append(
        figures(
            scope,
            "caseworker-mean",
            _("Average open trajectories per caseworker, today"),
            _(
                "The open trajectories divided by the number of caseworkers who have "
                "at least one. Not shown over fewer than 5 young people."
            ),
            [
                (
                    _("Average per caseworker"),
                    measures(
                        ratio(means["own"], means["own_caseworkers"]),
                        means["own"],
                        ratio(means["national"], means["national_caseworkers"]),
                        means["national"],
                    ),
                )
            ],
            chart=False,
        )
    )
    return tables


def ratio(trajectories: int, caseworkers: int) -> float | None:
    return trajectories / caseworkers if caseworkers else None


# --- Indicator 2: the target group -------------------------------------------------------------


def target_group_tables(scope: Scope, period: Period, by_table, found) -> list[Table]:
    """Indicator 2: who the young people are whose guidance started in the period."""
    tables = [
        counted_table(
            scope,
            "age",
            _("Age at the start of guidance"),
            _(
                "Trajectories started in the period, by the age of the young person on the "
                "day guidance started, in whole years."
            ),
            by_table,
            found,
        ),
        counted_table(
            scope,
            "offences",
            _("Offences"),
            _(
                "Trajectories started in the period, per offence recorded. A trajectory "
                "with more than one offence counts under each, so there is no total."
            ),
            by_table,
            found,
            with_total=False,
        ),
        counted_table(
            scope,
            "lvb",
            _("Mild intellectual disability (LVB)"),
            _("Trajectories started in the period, by what is recorded about LVB today."),
            by_table,
            found,
        ),
        counted_table(
            scope,
            "address",
            _("Address"),
            _(
                "Trajectories started in the period, by the kind of address recorded today. "
                "A postal address or no address means no fixed place to live."
            ),
            by_table,
            found,
        ),
    ]
    tables.append(settlement_table(scope, period, found["started"]["started"][1]))
    return tables


def settlement_table(scope: Scope, period: Period, national_started: int) -> Table:
    """Per municipality of settlement of the scope's young people; the rest of the country
    in one row, so no other municipality's own figures are shown."""
    within = scope.condition()
    rows = list(
        Trajectory.objects.filter(started_in(period))
        .values("client__municipality_of_settlement__name")
        .annotate(own=Count("pk", filter=within), national=Count("pk"))
        .filter(own__gt=0)
        .order_by(F("client__municipality_of_settlement__name").asc(nulls_last=True))
    )
    labels = [row["client__municipality_of_settlement__name"] or _("Not recorded") for row in rows]
    own = [row["own"] for row in rows]
    national = [row["national"] for row in rows]
    elsewhere = national_started - sum(national)
    if elsewhere:
        labels.append(_("Other municipalities"))
        own.append(0)
        national.append(elsewhere)
    return table(
        scope,
        "settlement",
        _("Municipality of settlement"),
        _(
            "Trajectories started in the period, by the municipality where the young person "
            "will live after release. In the national column, the young people of every "
            "municipality that settle there."
        ),
        labels,
        own,
        national,
    )


def sections(scope: Scope, period: Period) -> list[Section]:
    """Indicators 1 and 2, counted in one query."""
    by_table = cells(period)
    found = counts(scope, by_table)
    return [
        Section("caseload", str(_("Caseload")), caseload_tables(scope, period, by_table, found)),
        Section(
            "target-group",
            str(_("The target group")),
            target_group_tables(scope, period, by_table, found),
        ),
    ]
