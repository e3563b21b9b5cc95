from django import forms
from django.utils.translation import gettext_lazy as _

from lifedomains.domains import Domain
from partners.models import ContactPerson, Organisation


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
