"""The legal time limits of the dispute track (domain rules §1.9 and §6.1).

Each rule has a stable code that code, tests, events and the UI quote, the article it
comes from, what starts it, how long it runs and who must act before it ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from amiable.disputes.legal_clocks import Extension, Period


class Bearer(StrEnum):
    """Who the time limit binds."""

    CONSUMER = "consumer"  # a period the consumer has: extended to a working day
    PROFESSIONAL = "professional"  # we must act: never extended
    MEDIATOR = "mediator"  # the mediator must act
    PARTIES = "parties"  # both parties (answer to the mediator's proposal)
    LIMITATION = "limitation"  # a limitation period (information)


class Rule(StrEnum):
    REFERRAL_WINDOW_1Y = "FR.MED.REFERRAL_WINDOW_1Y"
    PRACTICE_NO_ANSWER_2M = "FR.MED.PRACTICE_NO_ANSWER_2M"
    INFO_AFTER_FAILED_COMPLAINT = "FR.MED.INFO_AFTER_FAILED_COMPLAINT"
    INADMISSIBILITY_3W = "FR.MED.INADMISSIBILITY_3W"
    OUTCOME_90D = "FR.MED.OUTCOME_90D"
    PROPOSAL_DEADLINE = "FR.MED.PROPOSAL_DEADLINE"
    PRESCRIPTION_SUSPENSION = "FR.CIV.PRESCRIPTION_SUSPENSION"


@dataclass(frozen=True)
class LegalRule:
    code: Rule
    article: str
    title: StrOrPromise
    trigger: StrOrPromise
    bearer: Bearer
    period: Period | None  # None: the date is set by someone (the mediator)
    extension: Extension = Extension.NONE


RULES: dict[Rule, LegalRule] = {
    rule.code: rule
    for rule in (
        LegalRule(
            code=Rule.REFERRAL_WINDOW_1Y,
            article="C. conso L612-2 4°",
            title=_("The customer may refer the dispute to the mediator"),
            trigger=_("Written complaint received"),
            bearer=Bearer.CONSUMER,
            period=Period(years=1),
            extension=Extension.NEXT_WORKING_DAY,
        ),
        LegalRule(
            code=Rule.PRACTICE_NO_ANSWER_2M,
            article="economie.gouv.fr (pratique) ; C. énergie R122-1",
            title=_("Answer the written complaint (after that, mediators take it)"),
            trigger=_("Written complaint received"),
            bearer=Bearer.PROFESSIONAL,
            period=Period(months=2),
        ),
        LegalRule(
            code=Rule.INFO_AFTER_FAILED_COMPLAINT,
            article="C. conso L616-1 al. 2, R616-1",
            title=_("Give the customer the mediator's details"),
            trigger=_("Complaint not settled"),
            bearer=Bearer.PROFESSIONAL,
            period=Period(days=0),
        ),
        LegalRule(
            code=Rule.INADMISSIBILITY_3W,
            article="C. conso L612-2",
            title=_("The mediator notifies an inadmissible request"),
            trigger=_("File received by the mediator"),
            bearer=Bearer.MEDIATOR,
            period=Period(days=21),
        ),
        LegalRule(
            code=Rule.OUTCOME_90D,
            article="C. conso R612-2, R612-5",
            title=_("Outcome of the mediation (extendable for a complex dispute)"),
            trigger=_("Mediator's notice that the file is complete"),
            bearer=Bearer.MEDIATOR,
            period=Period(days=90),
        ),
        LegalRule(
            code=Rule.PROPOSAL_DEADLINE,
            article="C. conso R612-4",
            title=_("Accept or refuse the mediator's proposal"),
            trigger=_("Mediator's proposal"),
            bearer=Bearer.PARTIES,
            period=None,
        ),
        LegalRule(
            code=Rule.PRESCRIPTION_SUSPENSION,
            article="C. civ. 2238",
            title=_("Limitation runs again: at least six months left"),
            trigger=_("End of the mediation declared"),
            bearer=Bearer.LIMITATION,
            period=Period(months=6),
        ),
    )
}
