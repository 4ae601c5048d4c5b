from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "amiable.notifications"
    label = "notifications"
    verbose_name = _("notifications")

    def ready(self) -> None:
        from amiable.core.navigation import NavItem, nav_register
        from amiable.notifications.personal_data import (
            personal_data_sections_register,
        )
        from amiable.notifications.selectors import notification_unread_count

        personal_data_sections_register()

        nav_register(
            NavItem(
                name="notifications",
                label=_("Notifications"),
                url_name="notifications:list",
                order=90,
                badge=lambda user: notification_unread_count(actor=user) or None,
            )
        )
