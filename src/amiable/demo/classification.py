"""Demo tags and custom fields: three fields an administrator would define, and
tags on a few open cases, so the side panel, the inbox filters and the settings
page have something to show. Idempotent: nothing is added once the fields exist."""

from __future__ import annotations

from amiable.accounts.models import User
from amiable.cases.models import OPEN_STATUSES, Case, CustomField
from amiable.cases.services import case_classify, custom_field_save
from amiable.demo.staff import DEMO_ADMIN_USERNAME

CARRIERS = ["Colissimo", "Chronopost", "DHL", "Mondial Relay"]
TAGS = (["livraison"], ["vip"], ["livraison", "transporteur"], ["rappel"])


def classification_demo_ensure() -> None:
    admin = User.objects.filter(username=DEMO_ADMIN_USERNAME).first()
    if admin is None or CustomField.objects.filter(key="carrier").exists():
        return
    custom_field_save(
        actor=admin,
        key="carrier",
        label_fr="Transporteur",
        label_en="Carrier",
        kind="choice",
        choices=CARRIERS,
        position=10,
    )
    custom_field_save(
        actor=admin,
        key="order_total",
        label_fr="Montant de la commande",
        label_en="Order total",
        kind="number",
        position=20,
    )
    custom_field_save(
        actor=admin,
        key="callback_on",
        label_fr="Rappeler le",
        label_en="Call back on",
        kind="date",
        position=30,
    )
    cases = Case.objects.filter(status__in=OPEN_STATUSES).order_by("-last_activity_at")
    for index, case in enumerate(cases[:24]):
        case_classify(
            actor=admin,
            case=case,
            expected_version=None,
            tags=TAGS[index % len(TAGS)],
            fields={"carrier": CARRIERS[index % len(CARRIERS)]},
        )
