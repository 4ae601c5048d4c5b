from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "amiable.portal"
    label = "portal"
    verbose_name = _("customer portal")

    def ready(self) -> None:
        from amiable.portal.personal_data import personal_data_sections_register

        personal_data_sections_register()
        from amiable.core.customer_links import customer_link_register
        from amiable.portal.signing import portal_customer_link

        # Lower apps (promises…) put portal links in their messages through core.
        customer_link_register(portal_customer_link)
