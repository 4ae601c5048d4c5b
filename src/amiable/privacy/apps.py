from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "amiable.privacy"
    label = "privacy"
    verbose_name = _("personal data")

    def ready(self) -> None:
        import datetime as dt

        from amiable.core.schedules import Periodic, periodic_register
        from amiable.privacy.navigation import navigation_register
        from amiable.privacy.panels import panels_register
        from amiable.privacy.platform import personal_data_sections_register

        panels_register()
        navigation_register()
        personal_data_sections_register()
        periodic_register(
            Periodic(
                name="privacy.retention",
                task="amiable.privacy.tasks.privacy_retention_task",
                every=dt.timedelta(hours=24),
            )
        )
