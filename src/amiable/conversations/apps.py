from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "amiable.conversations"
    label = "conversations"
    verbose_name = _("conversations")

    def ready(self) -> None:
        from amiable.conversations import handlers  # noqa: F401 (registers them)
        from amiable.conversations.panels import panels_register
        from amiable.conversations.personal_data import personal_data_sections_register

        personal_data_sections_register()

        panels_register()
