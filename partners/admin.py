from django.contrib import admin
from django.db.models import F

from partners.models import ContactPerson, Organisation


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality", "region", "phone", "is_active"]
    list_filter = ["kind", "municipality", "is_active"]
    search_fields = ["name", "region"]
    list_select_related = ["municipality"]
    filter_horizontal = ["region_municipalities"]
    inlines = [ContactPersonInline]

    # A save here moves the version on, so a caseworker's form opened before it
    # gets the conflict message instead of overwriting the admin's change (RF-4).
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
