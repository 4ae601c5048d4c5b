"""Customers (people and companies), their identities, addresses, consents and facts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amiable.core.models import TimeStampedModel


class CustomerKind(models.TextChoices):
    PERSON = "person", _("Person")
    COMPANY = "company", _("Company")


class CustomerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    MERGED = "merged", _("Merged into another customer")


class CustomerTier(models.TextChoices):
    """How much the customer is worth to us; SLA policies, gesture limits and
    analytics match on it. Set by hand or by the loyalty programme."""

    STANDARD = "standard", _("Standard")
    SILVER = "silver", _("Silver")
    GOLD = "gold", _("Gold")
    PLATINUM = "platinum", _("Platinum")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Customer(TimeStampedModel):
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=CustomerKind.choices,
        default=CustomerKind.PERSON,
    )
    name = models.CharField(_("name"), max_length=200)
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, default="fr"
    )
    customer_since = models.DateField(_("customer since"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CustomerStatus.choices,
        default=CustomerStatus.ACTIVE,
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    tier = models.CharField(
        _("tier"),
        max_length=10,
        choices=CustomerTier.choices,
        default=CustomerTier.STANDARD,
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="customers")
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        indexes = [
            models.Index(
                fields=["status", "name", "id"], name="customer_status_name_idx"
            ),
            models.Index(fields=["-created_at", "-id"], name="customer_created_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class IdentityKind(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    SOCIAL = "social", _("Social handle")


class Identity(TimeStampedModel):
    """One way to reach or recognise a customer; the normalised value is unique."""

    customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        related_name="identities",
        verbose_name=_("customer"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=IdentityKind.choices)
    value = models.CharField(_("value as given"), max_length=254)
    normalized = models.CharField(_("normalised value"), max_length=254)
    platform = models.CharField(_("platform"), max_length=40, blank=True)
    is_primary = models.BooleanField(_("primary"), default=False)
    is_verified = models.BooleanField(_("verified"), default=False)

    class Meta:
        ordering = ["kind", "-is_primary", "id"]
        verbose_name = _("identity")
        verbose_name_plural = _("identities")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "normalized"], name="identity_unique_per_kind"
            )
        ]
        indexes = [
            models.Index(fields=["customer", "kind"], name="identity_customer_idx")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.normalized}"


class Address(TimeStampedModel):
    customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        related_name="addresses",
        verbose_name=_("customer"),
    )
    label = models.CharField(_("label"), max_length=60, blank=True)
    line1 = models.CharField(_("address line 1"), max_length=200)
    line2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20)
    city = models.CharField(_("city"), max_length=120)
    country = models.CharField(_("country"), max_length=2, default="FR")
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        ordering = ["-is_default", "id"]
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self) -> str:
        return f"{self.line1}, {self.postal_code} {self.city}"


class ConsentPurpose(models.TextChoices):
    MARKETING_EMAIL = "marketing_email", _("Marketing by email")
    MARKETING_SMS = "marketing_sms", _("Marketing by SMS")
    MARKETING_PHONE = "marketing_phone", _("Marketing by phone")
    SURVEYS = "surveys", _("Satisfaction surveys")
    SPECIAL_OCCASIONS = "special_occasions", _("Special-occasion messages")
    PROFILING = "profiling", _("Personalisation and profiling")


class Consent(models.Model):
    """One consent decision. Rows are never updated: the latest per purpose wins."""

    customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("customer"),
    )
    purpose = models.CharField(
        _("purpose"), max_length=32, choices=ConsentPurpose.choices
    )
    is_granted = models.BooleanField(_("granted"))
    recorded_at = models.DateTimeField(_("recorded at"))
    source = models.CharField(_("source"), max_length=120)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [
            models.Index(
                fields=["customer", "purpose", "-recorded_at"],
                name="consent_latest_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.purpose}={'yes' if self.is_granted else 'no'}"


class FactCategory(models.TextChoices):
    BIRTHDAY = "birthday", _("Birthday")
    SIZE = "size", _("Size")
    PREFERENCE = "preference", _("Preference")
    FAMILY = "family", _("Family")
    OTHER = "other", _("Other")


class PersonalFact(TimeStampedModel):
    """Something the customer told us, kept only for a stated purpose."""

    customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        related_name="facts",
        verbose_name=_("customer"),
    )
    category = models.CharField(
        _("category"), max_length=20, choices=FactCategory.choices
    )
    value = models.CharField(_("value"), max_length=255)
    purpose = models.CharField(_("purpose"), max_length=255)
    source = models.CharField(_("source"), max_length=120)
    noted_on = models.DateField(_("noted on"))

    class Meta:
        ordering = ["category", "-noted_on", "id"]
        verbose_name = _("personal fact")
        verbose_name_plural = _("personal facts")

    def __str__(self) -> str:
        return f"{self.category}: {self.value}"


class CustomerMerge(models.Model):
    """The undo record of a merge: which rows moved from the source to the target."""

    source = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="+", verbose_name=_("source")
    )
    target = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="+", verbose_name=_("target")
    )
    merged_at = models.DateTimeField(_("merged at"))
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("merged by"),
    )
    moved = models.JSONField(_("moved rows"), default=dict)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)

    class Meta:
        ordering = ["-merged_at"]
        verbose_name = _("customer merge")
        verbose_name_plural = _("customer merges")
        constraints = [
            models.UniqueConstraint(
                fields=["source"],
                condition=Q(undone_at__isnull=True),
                name="merge_one_active_per_source",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.source_id} → #{self.target_id}"
