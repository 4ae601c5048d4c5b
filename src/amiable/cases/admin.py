"""Admin of cases: read-only cases, escalations and clocks; the configuration
administrators edit here (taxonomies, SLA policies, routing rules, team skills)
goes through the configuration services, so it is validated and audited."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext as _

from amiable.cases.models import (
    Case,
    CaseCategory,
    CaseEscalation,
    CaseMerge,
    CaseSequence,
    RootCause,
    RoutingRule,
    SavedView,
    SlaClock,
    SlaPolicy,
    TaxonomyEntry,
    TeamRouting,
)
from amiable.cases.services import (
    routing_rule_save,
    sla_policy_save,
    taxonomy_entry_save,
    team_routing_save,
)
from amiable.cases.services.configuration import ROUTING_RULE_FIELDS, SLA_POLICY_FIELDS
from amiable.core.admin import AmiableAdmin, is_admin_user
from amiable.web.requests import request_actor


@admin.register(Case)
class CaseAdmin(AmiableAdmin):
    list_display = (
        "reference",
        "subject",
        "kind",
        "status",
        "priority",
        "sla_state",
        "escalation_level",
        "team",
        "assignee",
        "customer",
        "last_activity_at",
    )
    list_filter = ("status", "kind", "priority", "sla_state", "escalation_level")
    list_select_related = ("customer", "team", "assignee")
    raw_id_fields = ("customer", "assignee", "team", "orders", "escalation_owner")
    search_fields = ("=reference",)


@admin.register(CaseSequence)
class CaseSequenceAdmin(AmiableAdmin):
    list_display = ("year", "last_number")


@admin.register(SavedView)
class SavedViewAdmin(AmiableAdmin):
    list_display = ("name", "user", "query")
    list_select_related = ("user",)
    raw_id_fields = ("user",)


@admin.register(CaseEscalation)
class CaseEscalationAdmin(AmiableAdmin):
    list_display = (
        "case",
        "previous_level",
        "level",
        "source",
        "owner",
        "escalated_at",
    )
    list_filter = ("level", "source")
    list_select_related = ("case", "owner")
    raw_id_fields = ("case", "escalated_by", "owner")


@admin.register(SlaClock)
class SlaClockAdmin(AmiableAdmin):
    list_display = ("case", "metric", "state", "due_at", "breached_at", "stopped_at")
    list_filter = ("metric", "state")
    list_select_related = ("case",)
    raw_id_fields = ("case",)


class ConfigurationAdmin(AmiableAdmin):
    """Administrators add and change rows; saving calls the app's service."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_admin_user(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_admin_user(request)


class TaxonomyForm(ModelForm):  # type: ignore[type-arg]
    def clean_parent(self) -> TaxonomyEntry | None:
        parent: TaxonomyEntry | None = self.cleaned_data.get("parent")
        if parent is not None and (
            parent.parent_id is not None or parent.pk == self.instance.pk
        ):
            raise forms.ValidationError(
                _("Choose a top-level entry (two levels only).")
            )
        return parent


class TaxonomyAdmin(ConfigurationAdmin):
    form = TaxonomyForm
    list_display = ("code", "name_fr", "name_en", "parent", "is_active")
    list_filter = ("is_active",)
    list_select_related = ("parent",)
    search_fields = ("code", "name_fr", "name_en")
    fields = ("code", "name_fr", "name_en", "parent", "is_active")

    def save_model(
        self,
        request: HttpRequest,
        obj: TaxonomyEntry,
        form: ModelForm[TaxonomyEntry],
        change: bool,
    ) -> None:
        data = form.cleaned_data
        saved = taxonomy_entry_save(
            actor=request_actor(request),
            model=type(obj),  # type: ignore[arg-type]
            entry=obj if change else None,
            code=data["code"],
            name_fr=data["name_fr"],
            name_en=data["name_en"],
            parent=data.get("parent"),
            is_active=data.get("is_active", True),
        )
        obj.pk = saved.pk


admin.site.register(RootCause, TaxonomyAdmin)
admin.site.register(CaseCategory, TaxonomyAdmin)


class SlaPolicyForm(ModelForm):  # type: ignore[type-arg]
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        targets = (
            "first_response_minutes",
            "next_response_minutes",
            "resolution_minutes",
        )
        if not any(data.get(name) for name in targets):
            raise forms.ValidationError(_("Give the policy at least one target."))
        return data


@admin.register(SlaPolicy)
class SlaPolicyAdmin(ConfigurationAdmin):
    form = SlaPolicyForm
    list_display = (
        "name",
        "position",
        "is_active",
        "kind",
        "priority",
        "channel",
        "customer_tier",
        "first_response_minutes",
        "next_response_minutes",
        "resolution_minutes",
    )
    list_filter = ("is_active", "kind", "priority")
    ordering = ("position", "id")

    def save_model(
        self,
        request: HttpRequest,
        obj: SlaPolicy,
        form: ModelForm[SlaPolicy],
        change: bool,
    ) -> None:
        fields = {k: v for k, v in form.cleaned_data.items() if k in SLA_POLICY_FIELDS}
        saved = sla_policy_save(
            actor=request_actor(request), policy=obj if change else None, **fields
        )
        obj.pk = saved.pk


@admin.register(RoutingRule)
class RoutingRuleAdmin(ConfigurationAdmin):
    list_display = (
        "name",
        "position",
        "is_active",
        "kind",
        "category",
        "language",
        "customer_tier",
        "tag",
        "team",
    )
    list_filter = ("is_active", "kind")
    list_select_related = ("team",)
    ordering = ("position", "id")

    def save_model(
        self,
        request: HttpRequest,
        obj: RoutingRule,
        form: ModelForm[RoutingRule],
        change: bool,
    ) -> None:
        fields = {
            k: v for k, v in form.cleaned_data.items() if k in ROUTING_RULE_FIELDS
        }
        saved = routing_rule_save(
            actor=request_actor(request), rule=obj if change else None, **fields
        )
        obj.pk = saved.pk


class CodesField(forms.CharField):
    """A comma-separated list of codes, stored as a JSON list."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(str(item) for item in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value)
        return [item.strip() for item in str(text).split(",") if item.strip()]


class TeamRoutingForm(ModelForm):  # type: ignore[type-arg]
    languages = CodesField(required=False, help_text="fr, en")
    categories = CodesField(required=False, help_text="delivery, refund, …")

    class Meta:
        model = TeamRouting
        fields = ("team", "languages", "categories", "assignment_mode")


@admin.register(TeamRouting)
class TeamRoutingAdmin(ConfigurationAdmin):
    form = TeamRoutingForm
    list_display = ("team", "assignment_mode", "languages", "categories")
    list_select_related = ("team",)

    def save_model(
        self,
        request: HttpRequest,
        obj: TeamRouting,
        form: ModelForm[TeamRouting],
        change: bool,
    ) -> None:
        data = form.cleaned_data
        saved = team_routing_save(
            actor=request_actor(request),
            team=data["team"],
            languages=data["languages"],
            categories=data["categories"],
            assignment_mode=data["assignment_mode"],
        )
        obj.pk = saved.pk


@admin.register(CaseMerge)
class CaseMergeAdmin(AmiableAdmin):
    """Merges and splits with what moved (undone from the case page or the API)."""

    list_display = (
        "kind",
        "target",
        "origin",
        "performed_at",
        "performed_by",
        "undone_at",
    )
    list_filter = ("kind",)
    list_select_related = ("target", "origin", "performed_by")
    raw_id_fields = ("target", "origin", "performed_by", "undone_by")
