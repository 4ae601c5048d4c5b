from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "amiable.web"
    label = "web"
    verbose_name = _("web")

    def ready(self) -> None:
        from amiable.core.navigation import NavItem, nav_register

        # The customer pages gather several domains, so they live here (see
        # customer_views.py).
        nav_register(
            NavItem(
                name="customers.list",
                label=_("Customers"),
                url_name="customers:list",
                order=20,
            )
        )
