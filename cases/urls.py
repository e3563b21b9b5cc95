from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("jongeren/", views.caseload, name="caseload"),
]
