from django.urls import path

from amiable.conversations import views

app_name = "conversations"
urlpatterns = [
    path("<int:pk>/", views.attachment_download_view, name="attachment"),
]
