"""The dispute track of a case of kind ``dispute``: the written complaint, amicable
proposals, the referral to the consumer mediator, the legal deadlines that follow
from those dates, and the outcome (domain rules §1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amiable.cases.models import Case
from amiable.core.models import TimeStampedModel
from amiable.core.money import amount_field, currency_field


class Mediator(TimeStampedModel):
    """A consumer mediator the company is under contract with (L612-1, L616-1): the
    details given to customers must let them refer the case directly."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    website = models.URLField(_("website"))
    postal_address = models.TextField(_("postal address"))
    email = models.EmailField(_("email"), blank=True)
    sector = models.CharField(_("sector"), max_length=120, blank=True)
    fee_amount = amount_field(_("fee per case"), default=0)
    fee_currency = currency_field(_("fee currency"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mediator")
        verbose_name_plural = _("mediators")
        constraints = [
            models.CheckConstraint(
                condition=Q(fee_amount__gte=0), name="mediator_fee_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.name


class DisputeStage(models.TextChoices):
    AMICABLE = "amicable", _("Amicable settlement")
    MEDIATION = "mediation", _("Mediation")
    CLOSED = "closed", _("Closed")


class DisputeOutcome(models.TextChoices):
    PENDING = "pending", _("In progress")
    SETTLED = "settled", _("Settled amicably")
    MEDIATION_AGREEMENT = "mediation_agreement", _("Mediator's proposal accepted")
    MEDIATION_FAILED = "mediation_failed", _("Mediation failed")
    INADMISSIBLE = "inadmissible", _("Rejected by the mediator")
    WITHDRAWN = "withdrawn", _("Withdrawn by the customer")
    COURT = "court", _("Taken to court")


# Outcomes that end a mediation (C. civ. 2238: limitation runs again from then).
MEDIATION_ENDINGS = frozenset(
    {
        DisputeOutcome.MEDIATION_AGREEMENT,
        DisputeOutcome.MEDIATION_FAILED,
        DisputeOutcome.INADMISSIBLE,
        DisputeOutcome.WITHDRAWN,
        DisputeOutcome.COURT,
    }
)


class Dispute(TimeStampedModel):
    """One per dispute case. Every date is an aware instant; legal limits are
    computed from them on local dates of ``legal_time_zone``."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="dispute", verbose_name=_("case")
    )
    stage = models.CharField(
        _("stage"),
        max_length=12,
        choices=DisputeStage.choices,
        default=DisputeStage.AMICABLE,
    )
    is_consumer = models.BooleanField(
        _("consumer or non-professional"),
        default=True,
        help_text=_("Consumer mediation is only for consumers and non-professionals."),
    )
    legal_time_zone = models.CharField(
        _("legal time zone"), max_length=64, default="Europe/Paris"
    )
    holiday_subdivision = models.CharField(
        _("customer's local holidays"),
        max_length=12,
        blank=True,
        help_text=_("Empty: the national list; e.g. 57 for Alsace-Moselle."),
    )
    written_complaint_at = models.DateTimeField(
        _("written complaint received"), null=True, blank=True
    )
    complaint_failed_at = models.DateTimeField(
        _("complaint not settled on"), null=True, blank=True
    )
    mediator_info_sent_at = models.DateTimeField(
        _("mediator's details sent"), null=True, blank=True
    )
    mediator = models.ForeignKey(
        Mediator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disputes",
        verbose_name=_("mediator"),
    )
    referred_at = models.DateTimeField(
        _("referred to the mediator"), null=True, blank=True
    )
    file_complete_at = models.DateTimeField(
        _("file complete (mediator's notice)"), null=True, blank=True
    )
    mediation_agreed_at = models.DateTimeField(
        _("mediation agreed or first meeting"), null=True, blank=True
    )
    outcome_extended_to = models.DateField(
        _("outcome deadline extended to"), null=True, blank=True
    )
    extension_reason = models.CharField(
        _("reason for the extension"), max_length=255, blank=True
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=DisputeOutcome.choices,
        default=DisputeOutcome.PENDING,
    )
    outcome_at = models.DateTimeField(_("outcome on"), null=True, blank=True)
    outcome_summary = models.TextField(_("outcome summary"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        indexes = [
            models.Index(fields=["-updated_at", "-id"], name="dispute_updated_idx"),
            models.Index(
                fields=["stage", "-updated_at", "-id"], name="dispute_stage_idx"
            ),
            models.Index(
                fields=["mediator", "-updated_at", "-id"], name="dispute_mediator_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(version__gte=1), name="dispute_version_pos"
            ),
            models.CheckConstraint(
                condition=Q(referred_at__isnull=True) | Q(mediator__isnull=False),
                name="dispute_referral_has_mediator",
            ),
        ]

    def __str__(self) -> str:
        return f"dispute of case {self.case_id}"


class ProposalAuthor(models.TextChoices):
    COMPANY = "company", _("Us (amicable proposal)")
    MEDIATOR = "mediator", _("The mediator")


class ProposalResponse(models.TextChoices):
    PENDING = "pending", _("Awaiting an answer")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")


class Proposal(TimeStampedModel):
    """A proposal to settle: ours (amicable) or the mediator's (R612-3, R612-4)."""

    dispute = models.ForeignKey(
        Dispute,
        on_delete=models.CASCADE,
        related_name="proposals",
        verbose_name=_("dispute"),
    )
    made_by = models.CharField(
        _("made by"), max_length=10, choices=ProposalAuthor.choices
    )
    description = models.TextField(_("what is proposed"))
    amount = amount_field(_("amount"), default=0)
    currency = currency_field(_("currency"))
    proposed_at = models.DateTimeField(_("proposed on"))
    respond_by = models.DateField(_("answer expected by"), null=True, blank=True)
    response = models.CharField(
        _("answer"),
        max_length=10,
        choices=ProposalResponse.choices,
        default=ProposalResponse.PENDING,
    )
    responded_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    response_note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["proposed_at", "id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [
            models.Index(fields=["dispute", "proposed_at"], name="proposal_dispute_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="proposal_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(made_by="mediator") | Q(respond_by__isnull=False),
                name="proposal_mediator_sets_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.made_by} {self.proposed_at:%Y-%m-%d}"


class LegalDeadline(TimeStampedModel):
    """A legal deadline of a dispute, stored so it can be listed across disputes and
    its changes announced (``legal_deadline.*`` events). Kept in step with the
    dispute's dates by ``disputes.services.deadlines``."""

    dispute = models.ForeignKey(
        Dispute,
        on_delete=models.CASCADE,
        related_name="deadlines",
        verbose_name=_("dispute"),
    )
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="+", verbose_name=_("case")
    )
    rule_code = models.CharField(_("rule"), max_length=40)
    # One rule may run several times (one per mediator proposal): "" or "proposal:7".
    trigger_key = models.CharField(_("trigger"), max_length=40, blank=True)
    article = models.CharField(_("article"), max_length=120)
    triggered_at = models.DateTimeField(_("started on"))
    due_at = models.DateTimeField(_("due"))
    met_at = models.DateTimeField(_("met on"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("legal deadline")
        verbose_name_plural = _("legal deadlines")
        indexes = [
            models.Index(fields=["due_at", "id"], name="legal_deadline_due_idx"),
            models.Index(
                fields=["met_at", "due_at", "id"], name="legal_deadline_open_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["dispute", "rule_code", "trigger_key"],
                name="legal_deadline_once_per_trigger",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule_code} {self.due_at:%Y-%m-%d}"
