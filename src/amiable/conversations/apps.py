from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "amiable.conversations"
    label = "conversations"
    verbose_name = _("conversations")

    def ready(self) -> None:
        from amiable.conversations.panels import panels_register

        panels_register()
