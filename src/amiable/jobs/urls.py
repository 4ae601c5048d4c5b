from django.urls import path

from amiable.jobs import views

app_name = "jobs"
urlpatterns = [
    path("<int:job_id>/", views.import_job_detail_view, name="import_detail"),
]
