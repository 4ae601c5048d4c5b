from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "amiable.cases"
    label = "cases"
    verbose_name = _("cases")

    def ready(self) -> None:
        from amiable.core.navigation import NavItem, nav_register

        nav_register(
            NavItem(
                name="cases.inbox", label=_("Cases"), url_name="cases:inbox", order=10
            )
        )
