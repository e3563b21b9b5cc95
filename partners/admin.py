from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F

from cases.forms import CONFLICT_MESSAGE
from partners.models import ContactPerson, Organisation


class VersionCheckedAdminForm(forms.ModelForm):
    """An admin form that refuses to overwrite a change saved after it was opened (RF-4).

    It carries the version it was opened at, as the caseworkers' forms do. The
    admin's change view runs in one transaction, so the row is locked from
    this check to the save: nobody can slip a change in between.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        # Not the model's (non-editable) column: the field above carries it. The
        # admin chooses the fields; a base form can only leave this one out.
        exclude = ["version"]  # noqa: DJ006

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True

    def clean(self):
        cleaned_data = super().clean()
        # An inline row left untouched is not saved, so it cannot overwrite anything.
        if self.instance.pk and self.has_changed():
            current = (
                type(self.instance)
                ._base_manager.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current is not None and current != cleaned_data.get("version"):
                raise ValidationError(CONFLICT_MESSAGE, code="conflict")
        return cleaned_data


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    form = VersionCheckedAdminForm
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = VersionCheckedAdminForm
    # As the caseworkers' form: "woonkracht10.nl" means https://woonkracht10.nl.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "kind", "municipality", "region", "phone", "is_active"]
    list_filter = ["kind", "municipality", "is_active"]
    search_fields = ["name", "region"]
    list_select_related = ["municipality"]
    filter_horizontal = ["region_municipalities"]
    inlines = [ContactPersonInline]

    # A save here moves the version on, so a caseworker's form opened before it
    # gets the conflict message instead of overwriting the admin's change, and
    # the form above refuses an admin's save over a newer change (RF-4).
    def save_model(self, request, obj, form, change):
        if change:
            obj.version = F("version") + 1
        super().save_model(request, obj, form, change)
        if change:
            obj.refresh_from_db(fields=["version"])

    def save_formset(self, request, form, formset, change):
        for contact in formset.save(commit=False):
            if contact.pk:
                contact.version = F("version") + 1
            contact.save()
        for contact in formset.deleted_objects:
            contact.delete()
        formset.save_m2m()
