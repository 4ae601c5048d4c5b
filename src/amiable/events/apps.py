import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "amiable.events"
    label = "events"
    verbose_name = _("domain events")

    def ready(self) -> None:
        from amiable.core.schedules import Periodic, periodic_register
        from amiable.events.personal_data import personal_data_sections_register

        periodic_register(
            Periodic(
                name="events.relay",
                task="amiable.events.tasks.events_relay_task",
                every=dt.timedelta(minutes=1),
            )
        )

        personal_data_sections_register()
