from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "amiable.disputes"
    label = "disputes"
    verbose_name = _("disputes")

    def ready(self) -> None:
        from amiable.disputes.personal_data import personal_data_sections_register

        personal_data_sections_register()
        from amiable.core.navigation import NavItem, nav_register
        from amiable.disputes import handlers  # noqa: F401 (registers the handlers)
        from amiable.disputes.panels import panels_register

        panels_register()
        nav_register(
            NavItem(
                name="disputes",
                label=_("Disputes"),
                url_name="disputes:list",
                order=40,
            )
        )
