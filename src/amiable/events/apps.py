from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "amiable.events"
    label = "events"
    verbose_name = _("domain events")

    def ready(self) -> None:
        from amiable.events.personal_data import personal_data_sections_register

        personal_data_sections_register()
