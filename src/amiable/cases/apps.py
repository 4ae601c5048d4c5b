import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "amiable.cases"
    label = "cases"
    verbose_name = _("cases")

    def ready(self) -> None:
        from amiable.cases import handlers  # noqa: F401 (registers the handlers)
        from amiable.cases.navigation import navigation_register
        from amiable.cases.panels import panels_register
        from amiable.cases.personal_data import personal_data_sections_register
        from amiable.core.schedules import Periodic, periodic_register

        navigation_register()
        panels_register()
        personal_data_sections_register()
        periodic_register(
            Periodic(
                name="cases.sla_scan",
                task="amiable.cases.tasks.sla_scan_task",
                every=dt.timedelta(minutes=1),
            )
        )
        periodic_register(
            Periodic(
                name="cases.autoclose",
                task="amiable.cases.tasks.case_autoclose_task",
                every=dt.timedelta(hours=1),
            )
        )
