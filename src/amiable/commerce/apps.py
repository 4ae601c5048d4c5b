from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommerceConfig(AppConfig):
    name = "amiable.commerce"
    label = "commerce"
    verbose_name = _("commerce")

    def ready(self) -> None:
        from amiable.commerce.panels import panels_register

        panels_register()
