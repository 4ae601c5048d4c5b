from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "amiable.feedback"
    label = "feedback"
    verbose_name = _("feedback")

    def ready(self) -> None:
        from amiable.feedback.personal_data import personal_data_sections_register

        personal_data_sections_register()
        import datetime as dt

        from amiable.core.navigation import NavItem, nav_register
        from amiable.core.schedules import Periodic, periodic_register
        from amiable.feedback.panels import panels_register
        from amiable.feedback.permissions import can_view_feedback

        panels_register()
        nav_register(
            NavItem(
                name="feedback.results",
                label=_("Surveys"),
                url_name="feedback:results",
                order=60,
                is_visible=can_view_feedback,
            )
        )
        periodic_register(
            Periodic(
                name="feedback.scan",
                task="amiable.feedback.tasks.survey_scan_task",
                every=dt.timedelta(minutes=15),
            )
        )
