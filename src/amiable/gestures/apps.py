from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GesturesConfig(AppConfig):
    name = "amiable.gestures"
    label = "gestures"
    verbose_name = _("commercial gestures")

    def ready(self) -> None:
        from amiable.gestures.personal_data import personal_data_sections_register

        personal_data_sections_register()
        import datetime as dt

        from amiable.core.schedules import Periodic, periodic_register
        from amiable.gestures import handlers  # noqa: F401 (registers the handlers)
        from amiable.gestures.navigation import navigation_register
        from amiable.gestures.panels import panels_register

        panels_register()
        navigation_register()
        periodic_register(
            Periodic(
                name="gestures.approvals_overdue",
                task="amiable.gestures.tasks.approval_overdue_scan_task",
                every=dt.timedelta(minutes=15),
            )
        )
