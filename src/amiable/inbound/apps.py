from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboundConfig(AppConfig):
    name = "amiable.inbound"
    label = "inbound"
    verbose_name = _("inbound channels")

    def ready(self) -> None:
        from amiable.inbound.personal_data import personal_data_sections_register

        personal_data_sections_register()
        import datetime as dt

        from amiable.core.mail_senders import mail_sender_register
        from amiable.core.navigation import NavItem, nav_register
        from amiable.core.schedules import Periodic, periodic_register
        from amiable.inbound.panels import panels_register
        from amiable.inbound.selectors import mailbox_sender
        from amiable.inbound.services.archive_import import email_archive_import_kind
        from amiable.jobs.registry import import_kind_register

        panels_register()
        import_kind_register(email_archive_import_kind())
        mail_sender_register(mailbox_sender)
        nav_register(
            NavItem(
                name="inbound.reviews",
                label=_("Reviews"),
                url_name="inbound:reviews",
                order=40,
            )
        )
        periodic_register(
            Periodic(
                name="inbound.mailboxes_poll",
                task="amiable.inbound.tasks.mailboxes_poll_task",
                every=dt.timedelta(minutes=1),
            )
        )
        periodic_register(
            Periodic(
                name="inbound.receipts_purge",
                task="amiable.inbound.tasks.webhook_receipts_purge_task",
                every=dt.timedelta(hours=1),
            )
        )
