from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromisesConfig(AppConfig):
    name = "amiable.promises"
    label = "promises"
    verbose_name = _("promises")

    def ready(self) -> None:
        from amiable.promises.personal_data import personal_data_sections_register

        personal_data_sections_register()
        import datetime as dt

        from amiable.core.navigation import NavItem, nav_register
        from amiable.core.schedules import Periodic, periodic_register
        from amiable.promises import handlers  # noqa: F401 (registers the handlers)
        from amiable.promises.panels import panels_register

        panels_register()
        periodic_register(
            Periodic(
                name="promises.scan",
                task="amiable.promises.tasks.promise_scan_task",
                every=dt.timedelta(minutes=10),
            )
        )
        nav_register(
            NavItem(
                name="promises.list",
                label=_("Promises"),
                url_name="promises:list",
                order=20,
            )
        )
