from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "amiable.quality"
    label = "quality"
    verbose_name = _("quality")

    def ready(self) -> None:
        from amiable.quality.personal_data import personal_data_sections_register

        personal_data_sections_register()
        import datetime as dt

        from amiable.core.navigation import NavItem, nav_register
        from amiable.core.schedules import Periodic, periodic_register
        from amiable.quality import handlers  # noqa: F401 (registers the handlers)
        from amiable.quality.panels import panels_register

        panels_register()
        periodic_register(
            Periodic(
                name="quality.recurrence_scan",
                task="amiable.quality.tasks.recurrence_scan_task",
                every=dt.timedelta(hours=1),
            )
        )
        nav_register(
            NavItem(
                name="quality.incidents",
                label=_("Incidents"),
                url_name="quality:incident_list",
                order=50,
            )
        )
        nav_register(
            NavItem(
                name="quality.problems",
                label=_("Quality"),
                url_name="quality:problem_list",
                order=60,
                is_visible=_sees_quality,
            )
        )


def _sees_quality(user: object) -> bool:
    from amiable.accounts.models import User
    from amiable.quality.permissions import can_view_quality

    return isinstance(user, User) and can_view_quality(user)
