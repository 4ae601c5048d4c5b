from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "amiable.feedback"
    label = "feedback"
    verbose_name = _("feedback")

    def ready(self) -> None:
        import datetime as dt

        from amiable.core.schedules import Periodic, periodic_register
        from amiable.feedback.panels import panels_register

        panels_register()
        periodic_register(
            Periodic(
                name="feedback.scan",
                task="amiable.feedback.tasks.survey_scan_task",
                every=dt.timedelta(minutes=15),
            )
        )
