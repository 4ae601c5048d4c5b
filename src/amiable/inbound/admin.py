"""Admin of the inbound channels: mailboxes and webhook sources (configuration,
editable by administrators), the ledger of received emails with the quarantine and
its replay action (read-only otherwise), online reviews."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from amiable.accounts.models import User
from amiable.core.admin import AmiableAdmin, is_admin_user
from amiable.core.encryption import SecretsModelForm
from amiable.core.errors import ApplicationError
from amiable.inbound.models import (
    InboundEmail,
    InboundStatus,
    Mailbox,
    Review,
    WebhookSource,
)
from amiable.inbound.services import email_replay

RAW_SHOWN = 50_000


class ConfigurationAdmin(AmiableAdmin):
    """Configuration rows: administrators add, change and delete them."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_admin_user(request)

    def has_change_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return is_admin_user(request)

    def has_delete_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return is_admin_user(request)


@admin.register(Mailbox)
class MailboxAdmin(ConfigurationAdmin):
    form = SecretsModelForm  # the IMAP password is write-only
    list_display = ("name", "address", "imap_host", "is_active", "last_polled_at")
    list_filter = ("is_active",)
    readonly_fields = ("uid_validity", "last_uid", "last_polled_at", "last_error")
    fieldsets = (
        (None, {"fields": ("name", "address", "team", "is_active")}),
        (
            _("IMAP polling"),
            {
                "fields": (
                    "imap_host",
                    "imap_port",
                    "imap_security",
                    "imap_username",
                    "imap_password",
                    "imap_folder",
                    "poll_every_seconds",
                )
            },
        ),
        (
            _("State"),
            {"fields": ("uid_validity", "last_uid", "last_polled_at", "last_error")},
        ),
    )


@admin.register(WebhookSource)
class WebhookSourceAdmin(ConfigurationAdmin):
    form = SecretsModelForm  # the signing secret is write-only
    list_display = ("name", "slug", "kind", "is_active", "last_received_at")
    list_filter = ("kind", "is_active")
    readonly_fields = ("last_received_at",)


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> list[tuple[str, Any]]:
        return list(InboundStatus.choices)

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Any]
    ) -> QuerySet[Any] | None:
        if self.value():
            return queryset.filter(status=self.value())
        return queryset


@admin.register(InboundEmail)
class InboundEmailAdmin(AmiableAdmin):
    list_display = (
        "received_at",
        "status",
        "source",
        "sender",
        "subject",
        "reason_shown",
    )
    list_filter = (StatusFilter, "source")
    list_select_related = ("mailbox",)
    search_fields = ("=message_id", "=sender")
    ordering = ("-received_at", "-id")
    raw_id_fields = ("customer", "case", "interaction", "mailbox")
    readonly_fields = ("raw_source", "reason_shown")
    actions = ["replay"]

    @admin.display(description=_("reason"), ordering="reason_code")
    def reason_shown(self, obj: InboundEmail) -> str:
        """The reason in the reader's language (older rows: their detail)."""
        return obj.reason_text

    @admin.display(description=_("raw source"))
    def raw_source(self, obj: InboundEmail) -> str:
        try:
            with obj.raw.open("rb") as handle:
                raw = handle.read(RAW_SHOWN)
        except (FileNotFoundError, ValueError):
            return str(_("The source file is missing."))
        return format_html(
            '<pre style="white-space: pre-wrap; max-height: 40em; overflow: auto">'
            "{}</pre>",
            raw.decode("utf-8", errors="replace"),
        )

    @admin.action(description=_("Replay the selected quarantined emails"))
    def replay(self, request: HttpRequest, queryset: QuerySet[InboundEmail]) -> None:
        actor = request.user
        assert isinstance(actor, User)  # noqa: S101 - admin pages need a login
        done = failed = 0
        for email in queryset.filter(status=InboundStatus.QUARANTINED):
            try:
                result = email_replay(actor=actor, email=email)
            except ApplicationError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                continue
            if result.status == InboundStatus.QUARANTINED:
                failed += 1
            else:
                done += 1
        self.message_user(
            request,
            ngettext(
                "%(done)d email ingested, %(failed)d still quarantined.",
                "%(done)d emails ingested, %(failed)d still quarantined.",
                done,
            )
            % {"done": done, "failed": failed},
            messages.SUCCESS if not failed else messages.WARNING,
        )


@admin.register(Review)
class ReviewAdmin(AmiableAdmin):
    list_display = (
        "created_at",
        "platform",
        "rating",
        "customer",
        "replied_publicly_at",
    )
    list_filter = ("platform", "rating")
    list_select_related = ("customer",)
    raw_id_fields = ("interaction", "customer", "case", "replied_by", "public_reply")
