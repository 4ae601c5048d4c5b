from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "amiable.audit"
    label = "audit"
    verbose_name = _("audit")

    def ready(self) -> None:
        from amiable.audit.personal_data import personal_data_sections_register

        personal_data_sections_register()
