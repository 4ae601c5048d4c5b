"""Admin for staff users, teams and API tokens; changes go through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from amiable.accounts.models import ApiToken, Team, User
from amiable.accounts.services import (
    team_create,
    token_revoke,
    user_create,
    user_set_role,
)
from amiable.core.admin import AdministratorsOnlyMixin, AmiableAdmin, is_admin_user
from amiable.web.requests import request_actor


@admin.register(Team)
class TeamAdmin(AmiableAdmin):
    list_display = ("name", "time_zone", "email", "created_at")
    search_fields = ("name",)
    fields = ("name", "time_zone", "email")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_admin_user(request)

    def save_model(
        self, request: HttpRequest, obj: Team, form: ModelForm[Team], change: bool
    ) -> None:
        created = team_create(
            actor=request_actor(request), name=obj.name, time_zone=obj.time_zone
        )
        obj.pk = created.pk
        obj._state.adding = False


@admin.register(User)
class UserAdmin(AdministratorsOnlyMixin, DjangoUserAdmin):  # type: ignore[type-arg]
    """Users: creation and role changes go through the audited services."""

    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "role",
        "team",
        "is_active",
        "last_login",
    )
    list_filter = ("role", "is_active", "is_staff")
    list_select_related = ("team",)
    raw_id_fields = ("team",)
    show_full_result_count = False
    search_fields = ("username", "email", "last_name")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email")}),
        (
            _("Work"),
            {"fields": ("role", "team", "preferred_language", "is_available")},
        ),
        (_("Access"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "email",
                    "role",
                    "team",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_admin_user(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_admin_user(request)

    def save_model(
        self, request: HttpRequest, obj: User, form: ModelForm[User], change: bool
    ) -> None:
        actor = request_actor(request)
        if not change:
            created = user_create(
                actor=actor,
                username=obj.username,
                password=form.cleaned_data.get("password1") or None,
                role=obj.role,
                team=obj.team,
                email=obj.email,
            )
            obj.pk = created.pk
            obj.password = created.password
            obj.is_staff = created.is_staff
            obj._state.adding = False
            return
        new_role = obj.role
        if "role" in form.changed_data:
            obj.role = form.initial["role"]
        super().save_model(request, obj, form, change)
        if new_role != obj.role:
            user_set_role(actor=actor, user=obj, role=new_role)


@admin.register(ApiToken)
class ApiTokenAdmin(AmiableAdmin):
    """Tokens are created by their owner (shown once); administrators may revoke."""

    list_display = (
        "prefix",
        "name",
        "user",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    search_fields = ("=prefix", "user__username")
    exclude = ("secret_hash",)
    readonly_fields = ("user", "name", "prefix", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Needed for the revoke action; every field stays read-only.
        return is_admin_user(request)

    def save_model(
        self,
        request: HttpRequest,
        obj: ApiToken,
        form: ModelForm[ApiToken],
        change: bool,
    ) -> None:
        """Nothing to save: every field is read-only; revoke with the action."""

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        actor = request_actor(request)
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            token_revoke(actor=actor, token=token)
            count += 1
        self.message_user(
            request,
            _("%(count)d token(s) revoked.") % {"count": count},
            messages.SUCCESS,
        )
