from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from rio.health import health

# The 500 handler answers 503 when the database cannot be reached (rio/outage.py).
handler500 = "rio.outage.server_error"

admin.site.site_header = "RIO casusregie — beheer"
admin.site.site_title = "RIO beheer"
admin.site.index_title = "Beheer"
# Admin logs in through allauth, so the MFA step and the lockout apply there too.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("health/", health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("beheer/", admin.site.urls),
    path("reports/", include("reports.urls")),
    path("privacy/", include("privacy.urls")),
    path("", include("accounts.urls")),
    path("", include("cases.urls")),
    path("", include("partners.urls")),
    path("", include("lifedomains.urls")),
    path("", include("followup.urls")),
]
