from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommerceConfig(AppConfig):
    name = "amiable.commerce"
    label = "commerce"
    verbose_name = _("commerce")

    def ready(self) -> None:
        from amiable.commerce.personal_data import personal_data_sections_register

        personal_data_sections_register()
        from amiable.commerce.panels import panels_register
        from amiable.commerce.services import tracking_import_kind
        from amiable.jobs.registry import import_kind_register

        panels_register()
        import_kind_register(tracking_import_kind())
