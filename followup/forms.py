from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import DateInput
from followup.models import FollowUpMoment
from rio.dates import PlausibleDatesMixin


class MomentDoneForm(PlausibleDatesMixin, forms.Form):
    """Mark a follow-up moment done, optionally naming the contact or measurement."""

    done_on = forms.DateField(label=_("Took place on"), widget=DateInput())
    contact = forms.ModelChoiceField(
        label=_("Contact that fulfilled it"), queryset=None, required=False
    )
    assessment = forms.ModelChoiceField(
        label=_("Measurement that fulfilled it"), queryset=None, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, moment: FollowUpMoment, **kwargs):
        super().__init__(*args, **kwargs)
        self.moment = moment
        trajectory = moment.trajectory
        self.fields["done_on"].initial = min(timezone.localdate(), moment.due_on)
        # Only this trajectory's own records can be linked (the scoping rule).
        self.fields["contact"].queryset = trajectory.contacts.order_by("-date", "-pk")
        self.fields["contact"].label_from_instance = lambda c: (
            f"{c.date:%d-%m-%Y} · {c.get_kind_display()}"
        )
        self.fields["assessment"].queryset = trajectory.assessments.order_by("-date", "-pk")
        self.fields["assessment"].label_from_instance = lambda a: (
            f"{a.date:%d-%m-%Y} · {a.get_moment_display()}"
        )
        if not moment.measurement:
            self.fields["assessment"].help_text = _("Optional: no measurement is due now.")
        else:
            self.fields["assessment"].help_text = _("The %(moment)s measurement belongs here.") % {
                "moment": moment.measurement
            }

    def clean_done_on(self) -> datetime.date:
        value = self.cleaned_data["done_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        if value < self.moment.trajectory.started_on:
            raise ValidationError(_("The date cannot be before the start of guidance."))
        return value


class InboxFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"),
        choices=[("unread", _("Unread")), ("all", _("All"))],
        required=False,
    )
