"""Admin: warning policies (edited through the service), promises read-only with
their history."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest

from amiable.accounts.models import User
from amiable.core.admin import AmiableAdmin, ReadOnlyTabularInline, is_admin_user
from amiable.promises.models import (
    Promise,
    PromiseTransition,
    PromiseWarning,
    WarningPolicy,
)
from amiable.promises.services import warning_policy_save
from amiable.promises.services.policies import POLICY_FIELDS


@admin.register(WarningPolicy)
class WarningPolicyAdmin(AmiableAdmin):
    """Configuration, not domain data: administrators edit it."""

    list_display = (
        "name",
        "kind",
        "is_active",
        "lead_hours",
        "silence_days",
        "channel",
    )
    fields = tuple(POLICY_FIELDS)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_admin_user(request)

    def has_change_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return is_admin_user(request)

    def get_readonly_fields(
        self, request: HttpRequest, obj: WarningPolicy | None = None
    ) -> list[str]:
        return ["name"] if obj is not None else []

    def save_model(
        self,
        request: HttpRequest,
        obj: WarningPolicy,
        form: ModelForm[WarningPolicy],
        change: bool,
    ) -> None:
        actor = request.user if isinstance(request.user, User) else None
        saved = warning_policy_save(
            actor=actor, **{name: getattr(obj, name) for name in POLICY_FIELDS}
        )
        obj.pk = saved.pk
        obj._state.adding = False


class TransitionInline(ReadOnlyTabularInline):
    model = PromiseTransition
    show_change_link = False
    raw_id_fields = ("actor", "interaction")


class WarningInline(ReadOnlyTabularInline):
    model = PromiseWarning
    show_change_link = False
    raw_id_fields = ("interaction",)


@admin.register(Promise)
class PromiseAdmin(AmiableAdmin):
    list_display = ("id", "kind", "state", "customer", "due_at", "source", "rule_code")
    list_filter = ("state", "kind", "source")
    list_select_related = ("customer",)
    raw_id_fields = ("customer", "case", "order", "made_by", "team")
    search_fields = ("=id", "=rule_code")
    inlines = [TransitionInline, WarningInline]
