"""What each legal time limit means, in words a customer understands (rule codes
of ``shared/domain-rules.md`` §6.1)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def legal_description(rule_code: str) -> str:
    """The sentence of a legal promise, in the active language."""
    descriptions = {
        "FR.DELIVERY.DEFAULT_30D": _("Deliver your order within 30 days"),
        "FR.DELIVERY.PROMISED_DATE": _("Deliver your order on the date announced"),
        "FR.DELIVERY.REFUND_14D": _(
            "Refund everything you paid within 14 days of the cancellation"
        ),
        "FR.WITHDRAWAL.BUTTON_ACK": _("Acknowledge your withdrawal in writing"),
        "FR.WITHDRAWAL.REFUND_14D": _(
            "Refund you, standard delivery included, within 14 days of your withdrawal"
        ),
        "FR.GUARANTEE.REMEDY_30D": _(
            "Repair or replace your product free of charge within 30 days"
        ),
        "FR.GUARANTEE.SHIPPING_REFUND_14D": _(
            "Refund the postage of your guarantee return within 14 days"
        ),
        "FR.SUB.REFUND_ADVANCES_30D": _("Refund the advances paid within 30 days"),
        "FR.MED.PRACTICE_NO_ANSWER_2M": _(
            "Answer your written complaint within 2 months"
        ),
        "FR.MED.INFO_AFTER_FAILED_COMPLAINT": _(
            "Give you the consumer mediator's details"
        ),
        "FR.MED.OUTCOME_90D": _("The mediator's outcome within 90 days"),
        "EU.GDPR.DSR_1M": _("Answer your personal data request within one month"),
        "EU.ADR.TRADER_REPLY_20WD": _("Reply to the mediator within 20 working days"),
    }
    return descriptions.get(
        rule_code.upper(), _("Legal time limit %(code)s") % {"code": rule_code}
    )
