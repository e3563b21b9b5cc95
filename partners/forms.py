from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.fields import LONG_TEXT, SHORT_TEXT, bounded
from cases.forms import DateInput, VersionedModelForm, not_in_future
from cases.models import Trajectory
from lifedomains.domains import Domain, Regie
from partners.models import (
    Agreement,
    Bottleneck,
    CaseConference,
    ContactPerson,
    DetentionPlace,
    Involvement,
    Organisation,
    PartnerRequest,
    SharingBasis,
)
from rio.dates import PlausibleDatesMixin


class OrganisationForm(VersionedModelForm):
    domains = forms.MultipleChoiceField(
        label=_("Life domains served"),
        choices=Domain.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "domains",
            "municipality",
            "region",
            "region_municipalities",
            "phone",
            "email",
            "address",
            "website",
            "notes",
            "is_active",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "region_municipalities": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        if data.get("municipality") and data.get("region_municipalities"):
            self.add_error(
                "region_municipalities",
                _(
                    "An organisation of one municipality has no region: leave either "
                    "the municipality or the municipalities of the region empty."
                ),
            )
        return data

    def ensure_kept(self, organisation: Organisation) -> None:
        """Refuse a save that leaves the organisation outside what the user may keep
        (another municipality, a region without theirs, national), by the same rule
        as the page itself (`Organisation.can_be_edited_by`); the caller's
        transaction then undoes the save."""
        if not organisation.can_be_edited_by(self.user):
            raise ValidationError(
                _(
                    "You can only keep organisations of your own municipality or of a "
                    "region it belongs to. National organisations are kept by the "
                    "functional admins."
                ),
                code="not_kept",
            )

    @transaction.atomic
    def save_new(self) -> Organisation:
        organisation = self.save()
        self.ensure_kept(organisation)
        return organisation

    @transaction.atomic
    def save_versioned(self) -> Organisation:
        organisation = super().save_versioned()
        organisation.region_municipalities.set(self.cleaned_data["region_municipalities"])
        self.ensure_kept(organisation)
        return organisation


class ContactPersonForm(VersionedModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "role", "email", "phone", "is_active"]


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All")), *Organisation.Kind.choices],
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )
    domain = forms.ChoiceField(
        label=_("Life domain"),
        required=False,
        choices=[("", _("All")), *Domain.choices],
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )


# --- Per trajectory -------------------------------------------------------------------


class InvolvementForm(VersionedModelForm):
    domains = forms.MultipleChoiceField(
        label=_("Life domains"),
        choices=Domain.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Involvement
        fields = ["organisation", "contact_person", "role", "domains", "started_on", "ended_on"]
        widgets = {"started_on": DateInput(), "ended_on": DateInput()}

    def __init__(self, *args, trajectory, **kwargs):
        super().__init__(*args, **kwargs)
        self.trajectory = trajectory
        self.fields["organisation"].queryset = Organisation.objects.active()
        self.fields["contact_person"].queryset = ContactPerson.objects.filter(
            is_active=True
        ).select_related("organisation")

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        contact = cleaned.get("contact_person")
        if organisation and contact and contact.organisation_id != organisation.pk:
            self.add_error("contact_person", _("This person does not work at that organisation."))
        started, ended = cleaned.get("started_on"), cleaned.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", _("“Until” cannot be before “from”."))
        if organisation and not ended:
            current = self.trajectory.involvements.filter(
                organisation=organisation, ended_on__isnull=True
            )
            if self.instance.pk:
                current = current.exclude(pk=self.instance.pk)
            if current.exists():
                self.add_error("organisation", _("This organisation is already involved."))
        return cleaned


class SharingBasisForm(VersionedModelForm):
    scope = forms.MultipleChoiceField(
        label=_("Scope: which life domains may be shared"),
        choices=Domain.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = SharingBasis
        fields = [
            "organisation",
            "basis",
            "scope",
            "valid_from",
            "valid_until",
            "withdrawn_on",
            "document",
            "note",
        ]
        widgets = {
            "valid_from": DateInput(),
            "valid_until": DateInput(),
            "withdrawn_on": DateInput(),
        }

    def __init__(self, *args, trajectory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.active()
        # Only the client's own documents (e.g. the signed consent form).
        self.fields["document"].queryset = trajectory.client.documents.all()
        if not self.instance.pk:
            del self.fields["withdrawn_on"]

    def clean(self):
        cleaned = super().clean()
        start, until = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and until and until < start:
            self.add_error("valid_until", _("“Valid until” cannot be before “valid from”."))
        withdrawn = cleaned.get("withdrawn_on")
        if withdrawn:
            if withdrawn > timezone.localdate():
                self.add_error("withdrawn_on", _("A withdrawal cannot be in the future."))
            elif start and withdrawn < start:
                self.add_error(
                    "withdrawn_on", _("The withdrawal cannot be before the basis started.")
                )
        if cleaned.get("basis") == SharingBasis.Basis.OTHER and not cleaned.get("note"):
            self.add_error("note", _("Describe the legal basis."))
        return cleaned


class PartnerRequestForm(VersionedModelForm):
    class Meta:
        model = PartnerRequest
        fields = ["organisation", "contact_person", "domain", "question", "asked_on"]
        widgets = {"asked_on": DateInput(), "question": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, trajectory, **kwargs):
        super().__init__(*args, **kwargs)
        self.trajectory = trajectory
        self.fields["organisation"].queryset = Organisation.objects.active()
        self.fields["contact_person"].queryset = ContactPerson.objects.filter(is_active=True)

    def clean_asked_on(self):
        value = self.cleaned_data["asked_on"]
        not_in_future(value, _("A request cannot be asked in the future."))
        return value

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        contact = cleaned.get("contact_person")
        if organisation and contact and contact.organisation_id != organisation.pk:
            self.add_error("contact_person", _("This person does not work at that organisation."))
        return cleaned


class AnswerForm(VersionedModelForm):
    class Meta:
        model = PartnerRequest
        fields = ["answered_on", "answer"]
        widgets = {"answered_on": DateInput(), "answer": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answered_on"].required = True
        self.fields["answer"].required = True
        self.fields["answered_on"].initial = timezone.localdate

    def clean_answered_on(self):
        value = self.cleaned_data["answered_on"]
        not_in_future(value, _("An answer cannot be in the future."))
        if value < self.instance.asked_on:
            raise forms.ValidationError(_("The answer cannot be before the request."))
        return value


class CaseConferenceForm(PlausibleDatesMixin, forms.ModelForm):
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations present"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = CaseConference
        fields = [
            "held_on",
            "regie",
            "organisations",
            "other_attendees",
            "client_present",
            "summary",
        ]
        widgets = {"held_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, trajectory, **kwargs):
        super().__init__(*args, **kwargs)
        # The partners of the municipality, regional ones and any already involved.
        municipality = trajectory.client.team.municipality
        self.fields["organisations"].queryset = (
            Organisation.objects.active()
            .filter(
                Q(municipality=municipality)
                | Q(municipality__isnull=True)
                | Q(involvements__trajectory=trajectory)
            )
            .distinct()
            .order_by("name")
        )

    def clean_held_on(self):
        value = self.cleaned_data["held_on"]
        not_in_future(value, _("A case conference is recorded after it was held."))
        return value


class AgreementForm(PlausibleDatesMixin, forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["text", "organisation", "due_date"]
        widgets = {"due_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.active()


AgreementFormSet = forms.inlineformset_factory(
    CaseConference, Agreement, form=AgreementForm, extra=3, can_delete=False
)


# --- Bottlenecks -----------------------------------------------------------------------


class BottleneckForm(VersionedModelForm):
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations involved"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    trajectories = forms.ModelMultipleChoiceField(
        label=_("Young people it blocks"),
        queryset=Trajectory.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Bottleneck
        fields = [
            "title",
            "description",
            "category",
            "domain",
            "organisations",
            "trajectories",
            "raised_on",
        ]
        widgets = {"raised_on": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.order_by("name")
        # Only the team's own open trajectories can be linked (AC-3).
        self.fields["trajectories"].queryset = (
            Trajectory.objects.visible_to(user).open().select_related("client")
        )
        self.fields["trajectories"].label_from_instance = lambda t: t.client.full_name

    def clean_trajectories(self) -> list[Trajectory]:
        """The links after this edit: what the user chose among the choices shown,
        plus every link they cannot see or choose here (a trajectory closed since,
        or one of another team), which stays as it is."""
        chosen = list(self.cleaned_data["trajectories"])
        if not self.instance.pk:
            return chosen
        out_of_sight = self.instance.trajectories.exclude(
            pk__in=self.fields["trajectories"].queryset.values("pk")
        )
        return [*chosen, *out_of_sight]

    def clean_raised_on(self):
        value = self.cleaned_data["raised_on"]
        not_in_future(value, _("A bottleneck is raised today or earlier."))
        return value

    def save_versioned(self):
        """The row and its links (organisations, trajectories) together or not at all."""
        with transaction.atomic():
            instance = super().save_versioned()
            self._save_m2m()  # what ModelForm.save() does for the many-to-many fields
        return instance


class EscalateForm(forms.Form):
    to = forms.ChoiceField(label=_("Raise to"), choices=Regie.choices)
    note = forms.CharField(
        label=_("Why, and with whom"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    skip_reason = forms.CharField(
        label=_("Reason for skipping a level"),
        required=False,
        max_length=SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when going straight from case to administrative level."),
    )

    def __init__(self, *args, bottleneck, **kwargs):
        super().__init__(*args, **kwargs)
        self.bottleneck = bottleneck
        index = Bottleneck.LEVELS.index(bottleneck.level)
        self.fields["to"].choices = [
            (level, Regie(level).label) for level in Bottleneck.LEVELS[index + 1 :]
        ]


class BottleneckStatusForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"), choices=Bottleneck.Status.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    resolution = forms.CharField(
        label=_("Resolution"),
        required=False,
        max_length=bounded(Bottleneck, "resolution"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to close: what was decided or why it cannot be solved."),
    )

    def __init__(self, *args, bottleneck, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [
            (status, Bottleneck.Status(status).label)
            for status in Bottleneck.TRANSITIONS[bottleneck.status]
        ]


class BottleneckFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Not closed")), ("all", _("All")), *Bottleneck.Status.choices],
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=[("", _("All")), *Regie.choices],
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All")), *Bottleneck.Category.choices],
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=Organisation.objects.all(),
        empty_label=_("All"),
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )


class DetentionPlaceForm(forms.ModelForm):
    class Meta:
        model = DetentionPlace
        fields = ["organisation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.PENITENTIARY
        ).order_by("name")
