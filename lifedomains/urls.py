from django.urls import path

from lifedomains import changes, personal_plan, views

app_name = "lifedomains"

urlpatterns = [
    path("trajecten/<int:pk>/metingen/nieuw/", views.assessment_create, name="assessment-create"),
    path("metingen/<int:pk>/bewerken/", views.assessment_update, name="assessment-update"),
    path("trajecten/<int:pk>/doelen/nieuw/", views.goal_create, name="goal-create"),
    path("doelen/<int:pk>/bewerken/", views.goal_update, name="goal-update"),
    path("doelen/<int:pk>/acties/nieuw/", views.action_create, name="action-create"),
    path("acties/<int:pk>/bewerken/", views.action_update, name="action-update"),
    path("acties/<int:pk>/klaar/", views.action_done, name="action-done"),
    path(
        "afspraken/<int:pk>/actie/", views.agreement_action_create, name="agreement-action-create"
    ),
    path("trajecten/<int:pk>/basisvoorwaarden/", views.readiness_update, name="readiness-update"),
    path("trajecten/<int:pk>/wijzigingen/", changes.change_list, name="changes"),
    path("trajecten/<int:pk>/mijn-plan/", personal_plan.personal_plan, name="personal-plan"),
    path(
        "trajecten/<int:pk>/mijn-plan.pdf",
        personal_plan.personal_plan_pdf,
        name="personal-plan-pdf",
    ),
    path(
        "trajecten/<int:pk>/mijn-plan/bewerken/",
        personal_plan.personal_plan_update,
        name="personal-plan-update",
    ),
]
