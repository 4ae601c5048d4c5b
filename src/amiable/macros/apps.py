from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MacrosConfig(AppConfig):
    name = "amiable.macros"
    label = "macros"
    verbose_name = _("macros")

    def ready(self) -> None:
        from amiable.macros.navigation import navigation_register
        from amiable.macros.panels import panels_register

        panels_register()
        navigation_register()
