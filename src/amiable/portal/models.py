"""One-time codes e-mailed to customers who open the portal without a link."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from amiable.customers.models import Customer


class PortalCode(models.Model):
    """A six-digit code sent to a customer's address. Only an HMAC of it is
    stored; it expires after minutes and dies after a few wrong attempts. A request
    for an unknown address is kept too, without customer or code, so the rate
    limits count it like any other."""

    customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        null=True,
        related_name="portal_codes",
        verbose_name=_("customer"),
    )
    email = models.CharField(_("sent to"), max_length=254)
    code_hash = models.CharField(_("code (HMAC)"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    requested_from = models.CharField(
        _("requested from (IP)"), max_length=45, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("portal code")
        verbose_name_plural = _("portal codes")
        indexes = [
            models.Index(fields=["email", "-created_at"], name="portal_code_email_idx"),
            models.Index(
                fields=["requested_from", "-created_at"], name="portal_code_ip_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"code for customer #{self.customer_id}"


class PortalAccess(models.Model):
    """A customer's portal links and sessions: raising ``links_generation`` (« sign
    out all links ») makes every link sent before, and every open session,
    invalid. No row: generation 0."""

    customer = models.OneToOneField(
        Customer,
        on_delete=models.CASCADE,
        related_name="portal_access",
        verbose_name=_("customer"),
    )
    links_generation = models.PositiveIntegerField(_("links generation"), default=0)
    revoked_at = models.DateTimeField(_("links revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("portal access")
        verbose_name_plural = _("portal accesses")

    def __str__(self) -> str:
        return f"portal access of customer #{self.customer_id}"
