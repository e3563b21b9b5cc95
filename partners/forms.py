from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import DateInput, VersionedModelForm, not_in_future
from lifedomains.domains import Domain
from partners.models import (
    Agreement,
    CaseConference,
    ContactPerson,
    Involvement,
    Organisation,
    PartnerRequest,
    SharingBasis,
)


class OrganisationForm(forms.ModelForm):
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
            "phone",
            "email",
            "address",
            "website",
            "notes",
            "is_active",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class ContactPersonForm(forms.ModelForm):
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
            not_in_future(withdrawn, _("A withdrawal cannot be in the future."))
            if start and withdrawn < start:
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


class CaseConferenceForm(forms.ModelForm):
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


class AgreementForm(forms.ModelForm):
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
