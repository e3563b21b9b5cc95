from django.urls import path

from partners import views

app_name = "partners"

urlpatterns = [
    path("ketenpartners/", views.organisation_list, name="organisation-list"),
    path("ketenpartners/nieuw/", views.organisation_create, name="organisation-create"),
    path("ketenpartners/<int:pk>/", views.organisation_detail, name="organisation-detail"),
    path("ketenpartners/<int:pk>/bewerken/", views.organisation_update, name="organisation-update"),
    path(
        "ketenpartners/<int:pk>/contactpersonen/nieuw/", views.contact_create, name="contact-create"
    ),
    path("contactpersonen/<int:pk>/bewerken/", views.contact_update, name="contact-update"),
    path("trajecten/<int:pk>/partners/nieuw/", views.involvement_create, name="involvement-create"),
    path("betrokkenheid/<int:pk>/bewerken/", views.involvement_update, name="involvement-update"),
    path("trajecten/<int:pk>/grondslagen/nieuw/", views.basis_create, name="basis-create"),
    path("grondslagen/<int:pk>/bewerken/", views.basis_update, name="basis-update"),
    path("trajecten/<int:pk>/verzoeken/nieuw/", views.request_create, name="request-create"),
    path("verzoeken/<int:pk>/antwoord/", views.request_answer, name="request-answer"),
    path("trajecten/<int:pk>/overleggen/nieuw/", views.conference_create, name="conference-create"),
    path(
        "trajecten/<int:pk>/inrichting/",
        views.detention_place_update,
        name="detention-place-update",
    ),
    path("knelpunten/", views.bottleneck_list, name="bottleneck-list"),
    path("knelpunten/nieuw/", views.bottleneck_create, name="bottleneck-create"),
    path("knelpunten/<int:pk>/", views.bottleneck_detail, name="bottleneck-detail"),
    path("knelpunten/<int:pk>/bewerken/", views.bottleneck_update, name="bottleneck-update"),
    path("knelpunten/<int:pk>/opschalen/", views.bottleneck_escalate, name="bottleneck-escalate"),
    path("knelpunten/<int:pk>/status/", views.bottleneck_status, name="bottleneck-status"),
]
