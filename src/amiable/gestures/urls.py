"""Staff pages of the gestures app (namespace ``gestures``)."""

from django.urls import path

from amiable.gestures import views

app_name = "gestures"
urlpatterns = [
    path("", views.gesture_list_view, name="list"),
    path("approvals/", views.approval_queue_view, name="approvals"),
    path("budgets/", views.budget_list_view, name="budgets"),
    path("reports/", views.report_view, name="reports"),
    path("export.csv", views.gesture_export_view, name="export"),
    path("campaigns/", views.campaign_list_view, name="campaigns"),
    path("campaigns/<int:pk>/", views.campaign_detail_view, name="campaign"),
    path("cases/<int:case_pk>/propose/", views.gesture_propose_view, name="propose"),
    path("cases/<int:case_pk>/hint/", views.gesture_hint_view, name="hint"),
    path("<int:pk>/", views.gesture_detail_view, name="detail"),
    path("<int:pk>/decide/", views.gesture_decide_view, name="decide"),
]
