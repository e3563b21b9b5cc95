from django.contrib import admin

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
    inlines = [ContactPersonInline]
