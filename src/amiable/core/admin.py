"""Admin building blocks shared by every app, and the background-task results admin.

The Django admin is for administrators only (role ``admin`` or superusers), whatever
Django model permissions say. Domain data is read-only here: every change goes through
a service, so admin pages that write call those services explicitly.

Lists are built to stay usable at a million rows: no full result count, foreign keys
as raw ids, related rows joined with ``list_select_related``, filters only on fields
with fixed choices (no ``SELECT DISTINCT`` over a big table).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from amiable.core.tasks import ATTEMPT_KWARG, TaskRetryScheduled

# Mirrors amiable.accounts.models.Role.ADMIN: core sits below accounts.
ADMIN_ROLE = "admin"
RETRY_EXCEPTION_PATH = f"{TaskRetryScheduled.__module__}.{TaskRetryScheduled.__name__}"


def is_admin_user(request: HttpRequest) -> bool:
    user = request.user
    if not (user.is_active and getattr(user, "is_staff", False)):
        return False
    return bool(
        getattr(user, "is_superuser", False)
        or getattr(user, "role", None) == ADMIN_ROLE
    )


class AdministratorsOnlyMixin:
    """Grants the admin pages to administrators only, as viewers by default."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_admin_user(request)

    def has_view_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return is_admin_user(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False


class AmiableAdmin(AdministratorsOnlyMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only list and detail pages that scale to large tables."""

    show_full_result_count = False
    list_per_page = 50
    actions: list[Any] = []


class ReadOnlyTabularInline(AdministratorsOnlyMixin, admin.TabularInline):  # type: ignore[type-arg]
    """An inline listing related rows without editing them."""

    extra = 0
    can_delete = False
    show_change_link = True

    def get_readonly_fields(
        self, request: HttpRequest, obj: Model | None = None
    ) -> list[str]:
        return [field.name for field in self.model._meta.fields]


class TaskOutcomeFilter(admin.SimpleListFilter):
    title = _("outcome")
    parameter_name = "outcome"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> list[tuple[str, Any]]:
        return [
            ("failed", _("Failed permanently")),
            ("retrying", _("Failed, retry scheduled")),
        ]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Any]
    ) -> QuerySet[Any] | None:
        if self.value() == "failed":
            return queryset.filter(status="FAILED").exclude(
                exception_class_path=RETRY_EXCEPTION_PATH
            )
        if self.value() == "retrying":
            return queryset.filter(
                Q(status="FAILED") & Q(exception_class_path=RETRY_EXCEPTION_PATH)
            )
        return queryset


class TaskResultAdmin(AdministratorsOnlyMixin, DBTaskResultAdmin):
    """Task results of the database backend, with attempts and the error line."""

    list_display = (
        "id",
        "task_name",
        "status",
        "attempt",
        "error",
        "enqueued_at",
        "finished_at",
        "queue_name",
    )
    list_filter = (TaskOutcomeFilter, "status", "queue_name")  # type: ignore[assignment]
    show_full_result_count = False

    @admin.display(description=_("attempt"))
    def attempt(self, obj: DBTaskResult[Any, Any]) -> int:
        kwargs = (obj.args_kwargs or {}).get("kwargs") or {}
        return int(kwargs.get(ATTEMPT_KWARG, 1))

    @admin.display(description=_("error"))
    def error(self, obj: DBTaskResult[Any, Any]) -> str:
        lines = [line for line in (obj.traceback or "").splitlines() if line.strip()]
        return lines[-1][:200] if lines else ""


if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)
