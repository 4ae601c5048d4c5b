"""Surveys sent to customers (NPS, CSAT, CES, "was everything OK?"), their one
answer each, and the team's survey settings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amiable.accounts.models import Team
from amiable.cases.models import Case
from amiable.commerce.models import Order, Product
from amiable.core.models import TimeStampedModel
from amiable.customers.models import Customer, CustomerTier


class SurveyKind(models.TextChoices):
    NPS = "nps", _("Net Promoter Score (0–10)")
    CSAT = "csat", _("Satisfaction (1–5)")
    CES = "ces", _("Customer effort (1–7)")
    CHECK = "check", _("Was everything OK? (yes/no)")


class SurveyTrigger(models.TextChoices):
    DELIVERY = "delivery", _("After delivery")
    CASE_RESOLVED = "case_resolved", _("After a resolved case")
    RELATIONSHIP = "relationship", _("Periodic relationship survey")


class SurveyStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Not delivered")


class SurveyMedium(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class FeedbackSettings(models.Model):
    """The one row of survey settings (``feedback_settings_get`` creates it)."""

    is_enabled = models.BooleanField(_("surveys enabled"), default=True)
    delivery_delay_days = models.PositiveSmallIntegerField(
        _("days after delivery"), default=3
    )
    # A day after resolution by default: the customer first gets the "is your
    # problem solved?" check, and a case reopened meanwhile gets no survey.
    case_delay_hours = models.PositiveSmallIntegerField(
        _("hours after a case is resolved"), default=24
    )
    delivery_kind = models.CharField(
        _("survey after delivery"),
        max_length=8,
        choices=SurveyKind.choices,
        default=SurveyKind.CHECK,
    )
    case_kind = models.CharField(
        _("survey after a resolved case"),
        max_length=8,
        choices=SurveyKind.choices,
        default=SurveyKind.CSAT,
    )
    relationship_interval_days = models.PositiveSmallIntegerField(
        _("days between relationship surveys"), default=180
    )
    throttle_days = models.PositiveSmallIntegerField(
        _("at most one survey per customer in (days)"), default=30
    )
    link_max_age_days = models.PositiveSmallIntegerField(
        _("links valid for (days)"), default=30
    )
    quiet_start_hour = models.PositiveSmallIntegerField(
        _("quiet hours start (hour)"), default=21
    )
    quiet_end_hour = models.PositiveSmallIntegerField(
        _("quiet hours end (hour)"), default=8
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Paris")
    follow_up_due_hours = models.PositiveSmallIntegerField(
        _("follow-up answer due within (hours)"), default=24
    )
    review_url = models.URLField(_("public review page"), blank=True)
    # A customer who gave us no email address but a phone number, and agreed to
    # surveys, is asked by SMS (one short link; never during quiet hours).
    is_sms_allowed = models.BooleanField(
        _("ask by SMS when there is no email address"), default=True
    )

    class Meta:
        verbose_name = _("survey settings")
        verbose_name_plural = _("survey settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(quiet_start_hour__lte=23) & Q(quiet_end_hour__lte=23),
                name="feedback_quiet_hours_valid",
            )
        ]

    def __str__(self) -> str:
        return str(_("survey settings"))


class Survey(TimeStampedModel):
    """One survey sent (or to send) to one customer; it carries its dimensions."""

    public_key = models.CharField(_("public key"), max_length=32, unique=True)
    customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        related_name="surveys",
        verbose_name=_("customer"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=SurveyKind.choices)
    trigger = models.CharField(
        _("trigger"), max_length=16, choices=SurveyTrigger.choices
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SurveyStatus.choices,
        default=SurveyStatus.SCHEDULED,
    )
    language = models.CharField(_("language"), max_length=8, default="fr")
    medium = models.CharField(
        _("sent by"),
        max_length=5,
        choices=SurveyMedium.choices,
        default=SurveyMedium.EMAIL,
    )
    email = models.EmailField(_("sent to"), max_length=254, blank=True)
    phone = models.CharField(_("sent to (phone)"), max_length=20, blank=True)
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("case"),
    )
    order = models.ForeignKey(
        Order,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("order"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agent"),
    )
    product = models.ForeignKey(
        Product,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product"),
    )
    channel = models.CharField(_("channel"), max_length=10, blank=True)
    category = models.CharField(_("category"), max_length=80, blank=True)
    # The customer's tier when the survey was made: results per tier stay true
    # when the customer later moves up or down.
    customer_tier = models.CharField(
        _("customer tier"),
        max_length=12,
        choices=CustomerTier.choices,
        default=CustomerTier.STANDARD,
    )
    requested_at = models.DateTimeField(_("requested at"))
    scheduled_for = models.DateTimeField(_("send not before"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        indexes = [
            models.Index(
                fields=["customer", "-requested_at"], name="survey_customer_idx"
            ),
            models.Index(fields=["-created_at", "-id"], name="survey_created_idx"),
            models.Index(fields=["status", "scheduled_for"], name="survey_due_idx"),
            models.Index(fields=["kind", "sent_at"], name="survey_kind_sent_idx"),
        ]
        constraints = [
            # A trigger fires at most once per case and once per order.
            models.UniqueConstraint(
                fields=["trigger", "case"],
                condition=Q(case__isnull=False),
                name="survey_once_per_case",
            ),
            models.UniqueConstraint(
                fields=["trigger", "order"],
                condition=Q(order__isnull=False),
                name="survey_once_per_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class SurveyResponse(TimeStampedModel):
    """The one answer to a survey; a second press updates it."""

    survey = models.OneToOneField(
        Survey,
        on_delete=models.CASCADE,
        related_name="response",
        verbose_name=_("survey"),
    )
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    follow_up_case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("follow-up case"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="response_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__lte=10), name="response_score_max"
            )
        ]

    def __str__(self) -> str:
        return f"{self.score} on survey #{self.survey_id}"
