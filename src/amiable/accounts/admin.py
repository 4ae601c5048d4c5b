"""Admin for staff users, teams and API tokens; changes go through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from amiable.accounts.models import ApiToken, SignInLock, SignInSettings, Team, User
from amiable.accounts.services import (
    signin_lock_lift,
    signin_settings_update,
    team_create,
    token_revoke,
    two_factor_disable,
    user_create,
    user_sessions_end,
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
    actions = ["sign_out_everywhere", "reset_two_factor"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_admin_user(request)

    @admin.action(description=_("Sign the selected users out everywhere"))
    def sign_out_everywhere(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> None:
        actor = request_actor(request)
        users = list(queryset)
        for user in users:
            user_sessions_end(actor=actor, user=user)
        self.message_user(
            request,
            _("%(count)d user(s) signed out everywhere.") % {"count": len(users)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reset two-step verification (lost phone)"))
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        actor = request_actor(request)
        users = list(queryset)
        for user in users:
            two_factor_disable(actor=actor, user=user)
        self.message_user(
            request,
            _("Two-step verification reset for %(count)d user(s).")
            % {"count": len(users)},
            messages.SUCCESS,
        )

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


@admin.register(SignInLock)
class SignInLockAdmin(AmiableAdmin):
    """Locks set by wrong passwords; they expire, or an administrator lifts them."""

    list_display = ("scope", "username", "address", "locked_at", "until", "lifted_at")
    list_filter = ("scope",)
    search_fields = ("=username", "=address")
    readonly_fields = (
        "scope",
        "username",
        "address",
        "locked_at",
        "until",
        "lifted_at",
        "lifted_by",
    )
    actions = ["lift"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_admin_user(request)  # for the lift action; fields stay read-only

    def save_model(
        self,
        request: HttpRequest,
        obj: SignInLock,
        form: ModelForm[SignInLock],
        change: bool,
    ) -> None:
        """Nothing to save: every field is read-only; lift with the action."""

    @admin.action(description=_("Lift the selected locks (unlock)"))
    def lift(self, request: HttpRequest, queryset: QuerySet[SignInLock]) -> None:
        actor = request_actor(request)
        count = 0
        for lock in queryset.filter(lifted_at__isnull=True):
            signin_lock_lift(actor=actor, lock=lock)
            count += 1
        self.message_user(
            request,
            _("%(count)d lock(s) lifted.") % {"count": count},
            messages.SUCCESS,
        )


@admin.register(SignInSettings)
class SignInSettingsAdmin(AmiableAdmin):
    """Which roles must use two-step verification (applies at their next sign-in)."""

    list_display = (
        "__str__",
        "two_factor_agents",
        "two_factor_supervisors",
        "two_factor_quality_managers",
        "two_factor_admins",
    )

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_admin_user(request) and not SignInSettings.objects.exists()

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_admin_user(request)

    def save_model(
        self,
        request: HttpRequest,
        obj: SignInSettings,
        form: ModelForm[SignInSettings],
        change: bool,
    ) -> None:
        signin_settings_update(actor=request_actor(request), settings_row=obj)
