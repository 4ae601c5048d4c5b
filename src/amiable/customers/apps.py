from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "amiable.customers"
    label = "customers"
    verbose_name = _("customers")

    def ready(self) -> None:
        from amiable.core.navigation import NavItem, nav_register
        from amiable.customers.personal_data import personal_data_sections_register

        personal_data_sections_register()

        nav_register(
            NavItem(
                name="customers.list",
                label=_("Customers"),
                url_name="customers:list",
                order=20,
            )
        )
