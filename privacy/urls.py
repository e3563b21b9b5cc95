from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("jongeren/<int:pk>/toegang/", views.access_overview, name="access-overview"),
    path("jongeren/<int:pk>/toegang.pdf", views.access_overview_pdf, name="access-overview-pdf"),
    path("jongeren/<int:pk>/inzage.zip", views.subject_access_export, name="export"),
]
