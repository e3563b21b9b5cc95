from django.urls import path, re_path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    re_path(
        r"^export/(?P<key>[-\w]+)\.(?P<extension>csv|xlsx)$",
        views.table_export,
        name="table-export",
    ),
    path("export.xlsx", views.dashboard_export, name="dashboard-export"),
    re_path(r"^research\.(?P<extension>csv|xlsx)$", views.research_export, name="research-export"),
]
