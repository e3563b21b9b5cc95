from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("jongeren/", views.caseload, name="caseload"),
    path("jongeren/nieuw/", views.client_create, name="client-create"),
    path("jongeren/overdracht/", views.caseload_handover, name="caseload-handover"),
    path("jongeren/zoek-op-bsn/", views.client_search_bsn, name="client-search-bsn"),
    path("jongeren/<int:pk>/", views.client_detail, name="client-detail"),
    path("jongeren/<int:pk>/bewerken/", views.client_update, name="client-update"),
    path("jongeren/<int:pk>/trajecten/nieuw/", views.trajectory_create, name="trajectory-create"),
    path("jongeren/<int:pk>/netwerk/nieuw/", views.network_create, name="network-create"),
    path("jongeren/<int:pk>/documenten/nieuw/", views.document_create, name="document-create"),
    path("trajecten/<int:pk>/bewerken/", views.trajectory_update, name="trajectory-update"),
    path("trajecten/<int:pk>/status/", views.trajectory_transition, name="trajectory-transition"),
    path("trajecten/<int:pk>/afsluiten/", views.trajectory_close, name="trajectory-close"),
    path("trajecten/<int:pk>/overdragen/", views.trajectory_handover, name="trajectory-handover"),
    path("trajecten/<int:pk>/tijdlijn/", views.timeline, name="timeline"),
    path("trajecten/<int:pk>/contacten/nieuw/", views.contact_create, name="contact-create"),
    path("trajecten/<int:pk>/dji/nieuw/", views.dji_create, name="dji-create"),
    path("contacten/<int:pk>/bewerken/", views.contact_update, name="contact-update"),
    path("netwerk/<int:pk>/bewerken/", views.network_update, name="network-update"),
    path("netwerk/<int:pk>/verwijderen/", views.network_delete, name="network-delete"),
    path("documenten/<int:pk>/download/", views.document_download, name="document-download"),
]
