"""Forms for measuring, planning and the release checklist."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import DateInput, VersionedModelForm, not_in_future
from lifedomains.domains import DESCRIPTIONS, Domain, Level
from lifedomains.models import Action, Assessment, DomainScore, Goal, PersonalPlan, ReadinessItem
from partners.models import Organisation
from rio.dates import PlausibleDatesMixin

ONE_TO_FIVE_CHOICES = [("", "—"), *[(str(n), str(n)) for n in range(1, 6)]]


class AssessmentForm(VersionedModelForm):
    class Meta:
        model = Assessment
        fields = ["moment", "date", "note"]
        widgets = {"date": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, trajectory, **kwargs):
        super().__init__(*args, **kwargs)
        self.trajectory = trajectory
        self.fields["date"].initial = timezone.localdate

    def clean_date(self):
        value = self.cleaned_data["date"]
        not_in_future(value, _("An assessment cannot be in the future."))
        if value < self.trajectory.started_on:
            raise ValidationError(_("The date cannot be before the start of guidance."))
        return value

    def clean_moment(self):
        moment = self.cleaned_data["moment"]
        if moment != Assessment.Moment.INTERIM:
            taken = self.trajectory.assessments.filter(moment=moment)
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                raise ValidationError(
                    _("%(moment)s has already been measured in this trajectory."),
                    params={"moment": Assessment.Moment(moment).label},
                    code="moment_taken",
                )
        return moment


class DomainScoreForm(forms.ModelForm):
    """One domain of an assessment. The prefix is the domain code."""

    score = forms.TypedChoiceField(
        label=_("Score"),
        choices=[("", "—"), *Level.choices],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    wish_strength = forms.TypedChoiceField(
        label=_("How much do you want it? (1–5)"),
        choices=ONE_TO_FIVE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )

    class Meta:
        model = DomainScore
        fields = ["score", "discussed", "not_discussed_reason", "wish", "wish_strength", "note"]
        widgets = {
            "wish": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, domain: str, levels: dict[int, str], **kwargs):
        super().__init__(*args, prefix=domain, **kwargs)
        self.domain = Domain(domain)
        self.domain_description = DESCRIPTIONS[self.domain]
        self.fields["score"].choices = [
            (
                level,
                f"{Level(level).label}: {levels[level]}" if level in levels else Level(level).label,
            )
            for level in Level.values
        ]
        self.fields["discussed"].label = _("Discussed")
        self.fields["not_discussed_reason"].label = _("If not discussed: why not?")

    def clean(self):
        cleaned = super().clean()
        discussed = cleaned.get("discussed")
        if discussed and cleaned.get("score") is None:
            self.add_error("score", _("Choose a score, or untick “discussed” and give the reason."))
        if not discussed:
            cleaned["score"] = None
            if not (cleaned.get("not_discussed_reason") or "").strip():
                self.add_error("not_discussed_reason", _("Say why this domain was not discussed."))
        return cleaned


class GoalForm(VersionedModelForm):
    wish_strength = forms.TypedChoiceField(
        label=_("How much do you want it? (1–5)"),
        choices=ONE_TO_FIVE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )

    class Meta:
        model = Goal
        fields = ["domain", "text", "wish_strength", "target_date", "status"]
        widgets = {"target_date": DateInput()}


class ActionForm(VersionedModelForm):
    class Meta:
        model = Action
        fields = ["description", "owner", "organisation", "owner_name", "due_date", "done_on"]
        widgets = {"due_date": DateInput(), "done_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.active()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("organisation") and cleaned.get("owner") != Action.Owner.PARTNER:
            self.add_error(
                "organisation", _("Only an action of a chain partner has an organisation.")
            )
        return cleaned

    def clean_done_on(self):
        value = self.cleaned_data["done_on"]
        not_in_future(value, _("“Done on” cannot be in the future."))
        return value


class ReadinessItemForm(PlausibleDatesMixin, forms.ModelForm):
    """One line of the checklist; the prefix is the item code."""

    class Meta:
        model = ReadinessItem
        fields = ["status", "date", "note"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, item: str, **kwargs):
        super().__init__(*args, prefix=item, **kwargs)
        self.item = ReadinessItem.Item(item)
        self.is_basic = self.item in ReadinessItem.BASIC
        self.fields["status"].label = self.item.label
        self.fields["date"].label = _("Date")
        self.fields["note"].label = _("Note")
        # Each field also posts what the user saw, so only what they changed is
        # saved and a colleague's change in between can be detected (RF-4).
        for field in self.fields.values():
            field.show_hidden_initial = True

    def posted(self) -> tuple:
        return tuple(self.cleaned_data.get(name) for name in self._meta.fields)

    def seen(self) -> tuple | None:
        """The item as it was when the page was opened; None if the post does not say
        (a client other than the form page), and then no conflict can be detected."""
        if not any(self.add_initial_prefix(name) in self.data for name in self._meta.fields):
            return None
        values = []
        for name in self._meta.fields:
            field = self.fields[name]
            raw = field.hidden_widget().value_from_datadict(
                self.data, self.files, self.add_initial_prefix(name)
            )
            try:
                values.append(field.clean(raw) if raw not in (None, "") else field.to_python(raw))
            except forms.ValidationError:
                values.append(raw)
        return tuple(values)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == ReadinessItem.Status.ARRANGED and cleaned.get("date"):
            not_in_future(cleaned["date"], _("Something arranged has a date in the past."))
        return cleaned


class PersonalPlanForm(VersionedModelForm):
    class Meta:
        model = PersonalPlan
        fields = ["next_appointment", "appointment_place", "message"]
        widgets = {
            "next_appointment": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "message": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_next_appointment(self):
        value = self.cleaned_data["next_appointment"]
        # Only a new or moved appointment must lie ahead: one that has passed may
        # stay while the RIO changes just the message (the page no longer shows it).
        if value and "next_appointment" in self.changed_data and value < timezone.now():
            raise ValidationError(_("The next appointment cannot be in the past."), code="past")
        return value


class AgreementActionForm(ActionForm):
    """Turn a case-conference agreement into an action under one of the goals."""

    goal = forms.ModelChoiceField(label=_("Under which goal"), queryset=Goal.objects.none())

    class Meta(ActionForm.Meta):
        fields = ["goal", "description", "owner", "organisation", "owner_name", "due_date"]

    def __init__(self, *args, trajectory, agreement, **kwargs):
        initial = {
            "description": agreement.text,
            "owner": Action.Owner.PARTNER if agreement.organisation_id else Action.Owner.CASEWORKER,
            "organisation": agreement.organisation_id,
            "due_date": agreement.due_date,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["goal"].queryset = trajectory.goals.exclude(status=Goal.Status.STOPPED)
