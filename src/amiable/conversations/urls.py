from django.urls import path

from amiable.conversations import views

app_name = "conversations"
urlpatterns = [
    path("<int:pk>/", views.attachment_download_view, name="attachment"),
    path("remote/<str:token>/", views.remote_image_view, name="remote_image"),
]
