from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "amiable.api"
    label = "api"
    verbose_name = _("api")

    def ready(self) -> None:
        from amiable.api.personal_data import personal_data_sections_register

        personal_data_sections_register()
