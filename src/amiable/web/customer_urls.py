"""URLs of the ``customers`` namespace (views in the interface layer, see
customer_views)."""

from django.urls import path

from amiable.web import customer_views

app_name = "customers"
urlpatterns = [
    path("", customer_views.customer_list_view, name="list"),
    path("<int:pk>/", customer_views.customer_detail_view, name="detail"),
]
