from django.urls import path

from amiable.disputes import views

app_name = "disputes"
urlpatterns = [
    path("", views.dispute_list_view, name="list"),
    path("deadlines/", views.deadline_list_view, name="deadlines"),
    path("costs/", views.cost_report_view, name="costs"),
    path("cases/<int:pk>/start/", views.dispute_start_view, name="start"),
    path("cases/<int:pk>/dates/", views.dispute_dates_view, name="dates"),
    path(
        "cases/<int:pk>/mediator-info/",
        views.dispute_mediator_info_view,
        name="mediator_info",
    ),
    path(
        "cases/<int:pk>/proposals/",
        views.dispute_proposal_add_view,
        name="proposal_add",
    ),
    path(
        "cases/<int:pk>/proposals/<int:proposal_pk>/answer/",
        views.dispute_proposal_answer_view,
        name="proposal_answer",
    ),
    path("cases/<int:pk>/costs/", views.case_cost_add_view, name="cost_add"),
]
