from django.urls import path

from amiable.inbound import views

app_name = "inbound"
urlpatterns = [
    path("reviews/", views.review_list_view, name="reviews"),
    path("reviews/<int:pk>/reply/", views.review_reply_view, name="review_reply"),
    path(
        "emails/<int:interaction_id>/original/",
        views.email_original_view,
        name="original",
    ),
]
