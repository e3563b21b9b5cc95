"""The dashboard's filter: which period and whose trajectories, bound to the URL."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import Municipality, Team, User
from reports.indicators import NATIONAL, Period, Scope

# Reports reach back to 2000; before that there were no RIO trajectories. The latest
# day is the end of next year, so a typo far in the future is an error, not a query.
FIRST_DAY = datetime.date(2000, 1, 1)


def last_day(today: datetime.date) -> datetime.date:
    return datetime.date(today.year + 1, 12, 31)


QUARTERS = {1: (1, 3, 31), 2: (4, 6, 30), 3: (7, 9, 30), 4: (10, 12, 31)}


class ReportFilterForm(forms.Form):
    """Period (the last 12 months, a year, a quarter or two dates) and scope.

    A manager's scope is their own municipality, optionally one of its teams; a
    functional admin chooses any municipality or the whole country.
    """

    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        widget=forms.NumberInput(attrs={"class": "utrecht-textbox", "inputmode": "numeric"}),
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", _("Whole year")),
            (1, _("1st quarter")),
            (2, _("2nd quarter")),
            (3, _("3rd quarter")),
            (4, _("4th quarter")),
        ],
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "utrecht-textbox"}),
    )
    end = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "utrecht-textbox"}),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        required=False,
        queryset=Municipality.objects.all(),
        empty_label=NATIONAL,
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        required=False,
        queryset=Team.objects.none(),
        empty_label=_("All teams"),
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )

    def __init__(self, *args, user: User, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.today = today or timezone.localdate()
        bounds = [MinValueValidator(FIRST_DAY.year), MaxValueValidator(last_day(self.today).year)]
        self.fields["year"].validators.extend(bounds)
        if user.is_functional_admin:
            self.fields["team"].queryset = Team.objects.select_related("municipality")
            self.fields["team"].label_from_instance = lambda team: (
                f"{team.name} ({team.municipality.name})"
            )
        else:
            del self.fields["municipality"]
            self.fields["team"].queryset = Team.objects.filter(
                municipality_id=user.municipality_id
            ).select_related("municipality")

    def clean_start(self):
        return self.within_bounds(self.cleaned_data["start"])

    def clean_end(self):
        return self.within_bounds(self.cleaned_data["end"])

    def within_bounds(self, day: datetime.date | None) -> datetime.date | None:
        latest = last_day(self.today)
        if day is not None and not FIRST_DAY <= day <= latest:
            raise ValidationError(
                _("Choose a date from %(first)s to %(last)s."),
                params={
                    "first": date_format(FIRST_DAY, "j F Y"),
                    "last": date_format(latest, "j F Y"),
                },
                code="out_of_range",
            )
        return day

    def clean(self):
        data = super().clean()
        year, quarter = data.get("year"), data.get("quarter")
        start, end = data.get("start"), data.get("end")
        if self.errors:
            return data
        if year is not None and (start or end):
            raise ValidationError(_("Choose a year or two dates, not both."), code="year_and_dates")
        if quarter is not None and year is None:
            self.add_error("quarter", _("Choose the year of this quarter."))
            return data
        if start and end and start > end:
            self.add_error("end", _("The end date is before the start date."))
            return data
        data["period"] = self.period_of(year, quarter, start, end)
        municipality = data.get("municipality") if self.user.is_functional_admin else None
        team = data.get("team")
        if self.user.is_functional_admin:
            if team is not None and municipality is None:
                self.add_error("team", _("Choose the municipality of this team first."))
                return data
            if team is not None and team.municipality_id != municipality.pk:
                self.add_error("team", _("This team does not belong to the chosen municipality."))
                return data
        else:
            municipality = self.user.municipality
        data["scope"] = Scope(municipality=municipality, team=team)
        return data

    def period_of(self, year, quarter, start, end) -> Period:
        if year is not None and quarter is not None:
            first_month, last_month, last = QUARTERS[quarter]
            return Period(
                start=datetime.date(year, first_month, 1),
                end=datetime.date(year, last_month, last),
            )
        if year is not None:
            return Period(start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31))
        if start and end:
            return Period(start=start, end=end)
        if start:
            return Period(start=start, end=max(start, self.today))
        return Period.last_twelve_months(end or self.today)
