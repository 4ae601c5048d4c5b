from django.urls import path

from amiable.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_inbox_view, name="inbox"),
    path("counts/", views.case_inbox_counts_view, name="inbox_counts"),
    path("changes/", views.case_inbox_changes_view, name="inbox_changes"),
    path("bulk/", views.case_bulk_view, name="bulk"),
    path("merge/", views.case_merge_view, name="merge"),
    path("merges/<int:pk>/undo/", views.case_merge_undo_view, name="merge_undo"),
    path(
        "queues/supervisor/",
        views.case_supervisor_queue_view,
        name="supervisor_queue",
    ),
    path("queues/quality/", views.case_quality_queue_view, name="quality_queue"),
    path("workload/", views.case_workload_view, name="workload"),
    path("search/", views.global_search_view, name="search"),
    path("new/", views.case_create_view, name="create"),
    path("new/customers/", views.case_customer_lookup_view, name="customer_lookup"),
    path("views/", views.saved_view_save_view, name="saved_view_save"),
    path(
        "views/<int:pk>/delete/",
        views.saved_view_delete_view,
        name="saved_view_delete",
    ),
    path("settings/fields/", views.custom_field_list_view, name="custom_fields"),
    path(
        "settings/fields/<int:pk>/",
        views.custom_field_edit_view,
        name="custom_field_edit",
    ),
    path("<int:pk>/", views.case_detail_view, name="detail"),
    path("<int:pk>/classify/", views.case_classify_view, name="classify"),
    path("<int:pk>/live/", views.case_live_view, name="live"),
    path("<int:pk>/presence/", views.case_presence_view, name="presence"),
    path("<int:pk>/read/", views.case_mark_read_view, name="mark_read"),
    path("<int:pk>/reply/", views.case_reply_view, name="reply"),
    path(
        "<int:pk>/reply/preview/",
        views.case_reply_preview_view,
        name="reply_preview",
    ),
    path("<int:pk>/reply/draft/", views.case_reply_draft_view, name="reply_draft"),
    path("<int:pk>/note/", views.case_note_view, name="note"),
    path("<int:pk>/forward/", views.case_forward_view, name="forward"),
    path("<int:pk>/call/", views.case_call_view, name="call"),
    path("<int:pk>/status/", views.case_status_view, name="status"),
    path("<int:pk>/assign/", views.case_assign_view, name="assign"),
    path("<int:pk>/resolve/", views.case_resolve_view, name="resolve"),
    path("<int:pk>/escalate/", views.case_escalate_view, name="escalate"),
    path("<int:pk>/split/", views.case_split_view, name="split"),
]
