"""Forms for the caseworker's daily work. Every choice field is scoped to the
user's team; cross-field rules live in clean(), hard rules in the database."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases import bsn as bsn_rules
from cases.fields import bounded
from cases.models import (
    TARGET_AGE_MAX,
    TARGET_AGE_MIN,
    Client,
    ContactMoment,
    DJIMessage,
    Document,
    NetworkMember,
    TimelineEvent,
    Trajectory,
    age_on,
)
from cases.uploads import validate_upload
from lifedomains.domains import Domain
from rio.dates import PlausibleDatesMixin

POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Za-z]{2})$")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def caseworker_label(caseworker: User) -> str:
    """A caseworker's name in a choice list, marked if their account is deactivated."""
    if caseworker.is_active:
        return str(caseworker)
    return _("%(name)s (inactive)") % {"name": caseworker}


def not_in_future(value: datetime.date | None, message) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(message, code="future")


class VersionedModelForm(PlausibleDatesMixin, forms.ModelForm):
    """Carries the record's version so a concurrent save is detected (RF-4)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Model fields the form sets itself (not as form fields) that must be saved too.
    extra_update_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # An edit must say which version it started from, or it could
            # overwrite someone else's change unnoticed.
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True

    def save_versioned(self):
        """Save the form's fields if nobody saved in between; raises ConflictError."""
        instance = self.instance
        instance.version = self.cleaned_data["version"]
        # Many-to-many fields are not columns of this row; the caller saves them.
        fields = [
            name
            for name in self._meta.fields
            if name in self.fields and not instance._meta.get_field(name).many_to_many
        ]
        instance.save_versioned(update_fields=[*fields, *self.extra_update_fields])
        return instance


CONFLICT_MESSAGE = _(
    "Someone else changed this in the meantime. Your changes have not been saved. "
    "Reload the page to see the latest version, then make your change again."
)


# --- Client -------------------------------------------------------------------


class ClientForm(VersionedModelForm):
    bsn_input = forms.CharField(
        label=_("BSN"),
        required=False,
        max_length=20,
        help_text=_("Optional. 9 digits; it is stored encrypted and never shown in lists."),
    )
    remove_bsn = forms.BooleanField(label=_("Remove the BSN"), required=False)
    extra_update_fields = ("bsn", "bsn_index")

    class Meta:
        model = Client
        fields = [
            "first_name",
            "last_name",
            "date_of_birth",
            "phone",
            "email",
            "address_kind",
            "street",
            "postcode",
            "city",
            "municipality_of_origin",
            "municipality_of_settlement",
            "lvb",
            "strengths",
            "talents",
            "dreams",
        ]
        widgets = {
            "date_of_birth": DateInput(),
            "strengths": forms.Textarea(attrs={"rows": 2}),
            "talents": forms.Textarea(attrs={"rows": 2}),
            "dreams": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.bsn:
            self.fields["bsn_input"].help_text = _(
                "Known: %(masked)s. Leave empty to keep it, or type a new one to replace it."
            ) % {"masked": self.instance.masked_bsn}
        else:
            del self.fields["remove_bsn"]
        self.fields["street"].help_text = _("For a postal address: the address of the post.")

    def clean_bsn_input(self) -> str:
        value = self.cleaned_data["bsn_input"]
        if value:
            bsn_rules.validate_bsn(value)
            return bsn_rules.normalise(value)
        return ""

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].strip()
        if not value:
            return ""
        match = POSTCODE.match(value)
        if not match:
            raise ValidationError(_("Enter a Dutch postcode like 3311 AB."), code="postcode")
        return f"{match.group(1)} {match.group(2).upper()}"

    def clean_date_of_birth(self) -> datetime.date:
        # The range (in the past, at most a century ago) is the field's validator.
        return self.cleaned_data["date_of_birth"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("address_kind") == Client.AddressKind.POSTAL and not cleaned.get("street"):
            self.add_error(
                "street", _("Enter the postal address (e.g. the municipality's address).")
            )
        if cleaned.get("bsn_input") and not cleaned.get("remove_bsn"):
            self.check_bsn_is_new_to_the_team(cleaned["bsn_input"])
        return cleaned

    def check_bsn_is_new_to_the_team(self, value: str) -> None:
        """A BSN is unique per team (a database rule); say which dossier has it.

        The instance carries the team: the client's own when editing, the
        registering caseworker's when new (set by the view, not the form).
        """
        existing = (
            Client.objects.filter(team_id=self.instance.team_id)
            .with_bsn(value)
            .exclude(pk=self.instance.pk)
            .first()
        )
        if existing is not None:
            dossier = format_html(
                '<a href="{}">{}</a>',
                reverse("cases:client-detail", args=[existing.pk]),
                _("dossier %(number)s") % {"number": existing.pk},
            )
            self.add_error(
                "bsn_input",
                ValidationError(
                    format_html(
                        _("This BSN already belongs to a young person of your team: {dossier}."),
                        dossier=dossier,
                    ),
                    code="bsn_taken",
                ),
            )

    def _post_clean(self):
        super()._post_clean()
        if self.cleaned_data.get("remove_bsn"):
            self.instance.set_bsn("")
        elif self.cleaned_data.get("bsn_input"):
            self.instance.set_bsn(self.cleaned_data["bsn_input"])


# --- Trajectory -----------------------------------------------------------------


class TrajectoryForm(VersionedModelForm):
    """The trajectory's facts. Status changes go through their own actions."""

    offences = forms.MultipleChoiceField(
        label=_("Offences"),
        choices=Trajectory.Offence.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Trajectory
        # The facts, and only the facts: the caseworker changes by a handover.
        fields = list(Trajectory.FACTS)
        widgets = {
            "detention_start": DateInput(),
            "expected_release": DateInput(),
            "actual_release": DateInput(),
            "started_on": DateInput(),
            "age_exception_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user: User, date_of_birth: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.date_of_birth = date_of_birth
        if self.instance.pk and self.instance.is_before_release:
            # Release is recorded with the "released" action, which also moves the status.
            del self.fields["actual_release"]

    def facts(self) -> dict:
        """The cleaned facts this form edits, for `Trajectory.update_facts`."""
        return {name: self.cleaned_data[name] for name in Trajectory.FACTS if name in self.fields}

    def clean_started_on(self):
        value = self.cleaned_data["started_on"]
        if value > timezone.localdate() + datetime.timedelta(days=366):
            raise ValidationError(_("The start of guidance is too far in the future."))
        return value

    def clean(self):
        cleaned = super().clean()
        start = cleaned.get("detention_start")
        expected = cleaned.get("expected_release")
        actual = cleaned.get("actual_release")
        if start and expected and expected < start:
            self.add_error(
                "expected_release",
                _("The expected release cannot be before the start of detention."),
            )
        if start and actual and actual < start:
            self.add_error(
                "actual_release", _("The release cannot be before the start of detention.")
            )
        not_in_future_error = _("The release date cannot be in the future; use expected release.")
        if actual and actual > timezone.localdate():
            self.add_error("actual_release", not_in_future_error)
        if start and start > timezone.localdate():
            self.add_error("detention_start", _("The start of detention cannot be in the future."))
        started_on = cleaned.get("started_on")
        instance = self.instance
        release_missing = (
            instance.pk
            and instance.status == Trajectory.Status.AFTERCARE
            and not actual
            and "actual_release" in self.fields
            and "actual_release" not in self.errors
        )
        if release_missing:
            self.add_error("actual_release", _("A trajectory in aftercare needs its release date."))
        if instance.pk and instance.ended_on and started_on and started_on > instance.ended_on:
            self.add_error("started_on", _("The start of guidance cannot be after the end date."))
        if self.date_of_birth and started_on:
            age = age_on(self.date_of_birth, started_on)
            if (
                not TARGET_AGE_MIN <= age <= TARGET_AGE_MAX
                and not cleaned.get("age_exception_reason", "").strip()
            ):
                self.add_error(
                    "age_exception_reason",
                    _(
                        "The young person is %(age)s at the start of guidance; the target group "
                        "is 18 to 27. Explain why they are included."
                    )
                    % {"age": age},
                )
        return cleaned


class NewTrajectoryForm(TrajectoryForm):
    """A trajectory as it is registered: it starts in one of three situations, with its
    caseworker (later only a handover changes the caseworker)."""

    class Meta(TrajectoryForm.Meta):
        fields = ["caseworker", *TrajectoryForm.Meta.fields]

    situation = forms.ChoiceField(
        label=_("Situation at registration"),
        choices=[
            (Trajectory.Status.REGISTERED, _("Registered, not yet in detention")),
            (Trajectory.Status.DETENTION, _("In detention")),
            (Trajectory.Status.AFTERCARE, _("Already released")),
        ],
        initial=Trajectory.Status.DETENTION,
        widget=forms.RadioSelect,
    )

    field_order = ["situation", "caseworker"]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["caseworker"].queryset = User.objects.caseworkers_of(user.team_id)
        self.fields["caseworker"].initial = user.pk

    def clean(self):
        cleaned = super().clean()
        situation = cleaned.get("situation")
        if situation == Trajectory.Status.DETENTION and not cleaned.get("detention_start"):
            self.add_error("detention_start", _("Enter the start of detention."))
        if situation == Trajectory.Status.AFTERCARE and not cleaned.get("actual_release"):
            self.add_error("actual_release", _("Enter the date of release."))
        if situation != Trajectory.Status.AFTERCARE and cleaned.get("actual_release"):
            self.add_error(
                "actual_release", _("Only fill in the release date if already released.")
            )
        return cleaned


class TransitionForm(PlausibleDatesMixin, forms.Form):
    """Record a status change that happened on a date (into detention, released)."""

    to = forms.ChoiceField(
        choices=[
            (Trajectory.Status.DETENTION, _("In detention")),
            (Trajectory.Status.AFTERCARE, _("Released")),
        ],
        widget=forms.HiddenInput,
    )
    on = forms.DateField(label=_("On"), widget=DateInput(), initial=timezone.localdate)

    def clean_on(self):
        value = self.cleaned_data["on"]
        not_in_future(value, _("This date cannot be in the future."))
        return value


class CloseTrajectoryForm(PlausibleDatesMixin, forms.Form):
    ended_on = forms.DateField(label=_("End date"), widget=DateInput(), initial=timezone.localdate)
    end_reason = forms.ChoiceField(label=_("Reason"), choices=Trajectory.EndReason.choices)
    end_note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=bounded(Trajectory, "end_note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was achieved, what is still open, who takes over."),
    )

    def __init__(self, *args, trajectory: Trajectory, **kwargs):
        super().__init__(*args, **kwargs)
        self.trajectory = trajectory

    def clean_ended_on(self):
        value = self.cleaned_data["ended_on"]
        not_in_future(value, _("The end date cannot be in the future."))
        if value < self.trajectory.started_on:
            raise ValidationError(_("The end date cannot be before the start of guidance."))
        return value

    def clean(self):
        cleaned = super().clean()
        reason = cleaned.get("end_reason")
        if (
            reason in (Trajectory.EndReason.STOPPED_BY_CLIENT, Trajectory.EndReason.OTHER)
            and not (cleaned.get("end_note") or "").strip()
        ):
            self.add_error("end_note", _("Explain briefly why the trajectory ends."))
        return cleaned


class HandoverForm(forms.Form):
    to = forms.ModelChoiceField(label=_("Hand over to"), queryset=User.objects.none())
    note = forms.CharField(
        label=_("Handover note"),
        max_length=bounded(TimelineEvent, "text"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the new caseworker needs to know: agreements, risks, next steps."),
    )

    def __init__(self, *args, user: User, exclude: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = User.objects.caseworkers_of(user.team_id)
        if exclude is not None:
            queryset = queryset.exclude(pk=exclude.pk)
        self.fields["to"].queryset = queryset


class CaseloadHandoverForm(HandoverForm):
    source = forms.ModelChoiceField(
        label=_("Hand over the caseload of"), queryset=User.objects.none()
    )

    field_order = ["source", "to", "note"]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.user = user
        source = self.fields["source"]
        # Deactivated colleagues too, so a leaver's caseload can still be handed over.
        source.queryset = User.objects.caseworkers_of(user.team_id, active_only=False)
        source.label_from_instance = caseworker_label
        if not user.is_team_coordinator:
            # Show only the own caseload; a posted colleague is refused in clean_source().
            source.choices = [(user.pk, caseworker_label(user))]
            source.help_text = _("Only the team coordinator can hand over a colleague's caseload.")

    def clean_source(self) -> User:
        source = self.cleaned_data["source"]
        if not self.user.may_hand_over_caseload_of(source):
            raise ValidationError(
                _(
                    "You can only hand over your own caseload. The team coordinator can "
                    "hand over a colleague's caseload."
                ),
                code="not_own_caseload",
            )
        return source

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("source") and cleaned.get("source") == cleaned.get("to"):
            self.add_error("to", _("Choose another caseworker than the current one."))
        return cleaned


# --- Contacts, network, documents, DJI ------------------------------------------------


class ContactForm(VersionedModelForm):
    with_whom = forms.MultipleChoiceField(
        label=_("With whom"),
        choices=ContactMoment.With.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[ContactMoment.With.CLIENT],
    )
    domains = forms.MultipleChoiceField(
        label=_("Life domains discussed"),
        choices=Domain.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ContactMoment
        fields = ["date", "kind", "with_whom", "domains", "regie", "summary"]
        widgets = {"date": DateInput(), "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate
        self.fields["kind"].initial = ContactMoment.Kind.CONVERSATION

    def clean_date(self):
        value = self.cleaned_data["date"]
        not_in_future(value, _("A contact cannot be in the future; plan it as an appointment."))
        return value


class NetworkMemberForm(VersionedModelForm):
    class Meta:
        model = NetworkMember
        fields = ["name", "relation", "influence", "phone", "email", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["title", "kind", "file"]

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        self.file_type = validate_upload(uploaded)
        return uploaded


class DJIMessageForm(PlausibleDatesMixin, forms.ModelForm):
    file = forms.FileField(label=_("Document (optional)"), required=False)
    apply_release_date = forms.BooleanField(
        label=_("Use this release date for the trajectory"),
        required=False,
        initial=True,
        help_text=_(
            "A date in the future becomes the expected release; a date today or earlier "
            "records the release."
        ),
    )

    class Meta:
        model = DJIMessage
        fields = ["kind", "received_on", "release_date", "summary"]
        widgets = {
            "received_on": DateInput(),
            "release_date": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, trajectory: Trajectory, **kwargs):
        super().__init__(*args, **kwargs)
        self.trajectory = trajectory
        self.file_type = None

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        not_in_future(value, _("The date received cannot be in the future."))
        return value

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded:
            self.file_type = validate_upload(uploaded)
        return uploaded

    def clean(self):
        cleaned = super().clean()
        release_date = cleaned.get("release_date")
        kind = cleaned.get("kind")
        if kind == DJIMessage.Kind.DETENTION_END and not release_date:
            self.add_error("release_date", _("Enter the release date from the notice."))
        if kind != DJIMessage.Kind.DETENTION_END:
            cleaned["apply_release_date"] = False
        start = self.trajectory.detention_start
        if release_date and start and release_date < start:
            self.add_error(
                "release_date", _("The release cannot be before the start of detention.")
            )
        if (
            cleaned.get("apply_release_date")
            and release_date
            and release_date <= timezone.localdate()
            and self.trajectory.status != Trajectory.Status.DETENTION
            and self.trajectory.actual_release != release_date
        ):
            self.add_error(
                "apply_release_date",
                _("Only a trajectory in detention can be marked as released."),
            )
        return cleaned


# --- Lists -------------------------------------------------------------------------


class CaseloadFilterForm(forms.Form):
    SORTS = {
        "name": ("last_name", "first_name"),
        "-name": ("-last_name", "-first_name"),
        "age": ("-date_of_birth",),
        "release": ("current_release",),
        # Never contacted counts as longest without contact.
        "contact": (F("last_contact").asc(nulls_first=True),),
    }

    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        # The default hides closed trajectories: the daily work is the open ones.
        choices=[("", _("Open (not closed)")), ("all", _("All")), *Trajectory.Status.choices],
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )
    caseworker = forms.ModelChoiceField(
        label=_("Caseworker"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("All"),
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("", _("My young people first")),
            ("name", _("Name A–Z")),
            ("-name", _("Name Z–A")),
            ("age", _("Age")),
            ("release", _("Release date")),
            ("contact", _("Longest without contact")),
        ],
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        # Deactivated colleagues too, so the young people they left behind can be found.
        self.fields["caseworker"].queryset = User.objects.caseworkers_of(
            user.team_id, active_only=False
        )
        self.fields["caseworker"].label_from_instance = caseworker_label


class BSNSearchForm(forms.Form):
    """Find a client by BSN. Posted, so the number never lands in a URL or log."""

    bsn = forms.CharField(
        label=_("Search by BSN"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"class": "utrecht-textbox", "inputmode": "numeric", "autocomplete": "off"}
        ),
    )

    def clean_bsn(self) -> str:
        value = self.cleaned_data["bsn"]
        bsn_rules.validate_bsn(value)
        return bsn_rules.normalise(value)


class TimelineFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("Everything")), *TimelineEvent.Kind.choices],
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )
