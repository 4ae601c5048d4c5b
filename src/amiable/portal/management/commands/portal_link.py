"""``amiable manage portal_link CUSTOMER_ID``: print a signed portal link (to try
the portal, or to paste in a letter). The link is a credential: share it only
with its customer."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amiable.customers.models import Customer
from amiable.portal.signing import LinkPage, portal_link


class Command(BaseCommand):
    help = "Print a signed, expiring customer portal link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("customer_id", type=int)
        parser.add_argument(
            "--page", choices=[page.value for page in LinkPage], default="home"
        )
        parser.add_argument("--id", dest="object_id", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        customer = Customer.objects.filter(pk=options["customer_id"]).first()
        if customer is None:
            raise CommandError(f"no customer {options['customer_id']}")
        page = LinkPage(options["page"])
        if page in {LinkPage.ORDER, LinkPage.CASE} and options["object_id"] is None:
            raise CommandError(f"--id is required with --page {page.value}")
        self.stdout.write(
            portal_link(
                customer_id=customer.pk, page=page, object_id=options["object_id"]
            )
        )
