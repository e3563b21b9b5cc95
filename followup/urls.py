from django.urls import path

from followup import views

app_name = "followup"

urlpatterns = [
    path("meldingen/", views.inbox, name="inbox"),
    path("meldingen/alles-gelezen/", views.inbox_read_all, name="inbox-read-all"),
    path("meldingen/<int:pk>/gelezen/", views.notification_read, name="notification-read"),
    path("meldingen/<int:pk>/openen/", views.notification_open, name="notification-open"),
    path("followup/momenten/<int:pk>/gedaan/", views.moment_done, name="moment-done"),
]
