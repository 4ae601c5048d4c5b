from django.urls import path

from amiable.quality.views import incidents, problems, reports

app_name = "quality"
urlpatterns = [
    path("problems/", problems.problem_list_view, name="problem_list"),
    path("problems/<int:pk>/", problems.problem_detail_view, name="problem_detail"),
    path(
        "problems/<int:pk>/edit/", problems.problem_update_view, name="problem_update"
    ),
    path("problems/<int:pk>/cases/", problems.problem_link_view, name="problem_link"),
    path("incidents/", incidents.incident_list_view, name="incident_list"),
    path("incidents/new/", incidents.incident_create_view, name="incident_create"),
    path("incidents/<int:pk>/", incidents.incident_detail_view, name="incident_detail"),
    path(
        "incidents/<int:pk>/cases/", incidents.incident_link_view, name="incident_link"
    ),
    path(
        "incidents/<int:pk>/reply-all/",
        incidents.incident_reply_all_view,
        name="incident_reply_all",
    ),
    path(
        "incidents/<int:pk>/resolve-all/",
        incidents.incident_resolve_all_view,
        name="incident_resolve_all",
    ),
    path(
        "cases/<int:pk>/incident/", incidents.case_incident_view, name="case_incident"
    ),
    path("fcr/", reports.fcr_view, name="fcr"),
]
