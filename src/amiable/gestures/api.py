"""API of commercial gestures: the catalogue, the authority matrix, budgets, the
gestures and their approvals, consistency hints, price-protection campaigns, the
promotion check every marketing sender must call, spend reports and the CSV export.

Gestures and cases the caller may not see answer 404; configuration writes are for
administrators (403); approvals, campaigns, reports and the export for supervisors
and above (403).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from amiable.accounts.models import Team, User
from amiable.accounts.selectors import team_list
from amiable.api.auth import actor_of
from amiable.api.pagination import page_of
from amiable.api.schemas import ERROR_RESPONSES, Id, ListQuery, PageOut
from amiable.cases.selectors import case_get
from amiable.commerce.models import OrderLine
from amiable.commerce.selectors import product_get
from amiable.core.access import ADMIN, STAFF, SUPERVISORS, TEAM, access
from amiable.core.clock import now
from amiable.core.encryption import secret_is_set
from amiable.core.errors import PermissionDeniedError, ValidationError
from amiable.customers.selectors import customer_get
from amiable.gestures import selectors, services
from amiable.gestures.export import csv_lines
from amiable.gestures.models import (
    Budget,
    Gesture,
    GestureReason,
    GestureSettings,
    GestureType,
)
from amiable.gestures.permissions import can_view_reports, is_approver
from amiable.gestures.schemas import (
    AuthorityLimitIn,
    AuthorityLimitOut,
    BudgetIn,
    BudgetListQuery,
    BudgetOut,
    CampaignApproveIn,
    CampaignDetailOut,
    CampaignListQuery,
    CampaignOut,
    CompensationOut,
    ConsistencyOut,
    ConsistencyQuery,
    DecisionIn,
    ExportQuery,
    GestureDetailOut,
    GestureListQuery,
    GestureOut,
    GestureProposeIn,
    GestureReasonIn,
    GestureReasonOut,
    GestureTypeIn,
    GestureTypeOut,
    GestureTypePatchIn,
    PromotionOut,
    PromotionQuery,
    RejectIn,
    SettingsOut,
    SettingsPatchIn,
    SpendOut,
    SpendQuery,
    SpendRowOut,
    SuppressionOut,
)

router = Router()
ERRORS = ERROR_RESPONSES
CSV_RESPONSE = {
    "responses": {
        200: {
            "description": "Applied gestures, one per line, header first.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDeniedError(_("Your role does not allow this."))


def _gesture_type(type_id: int, field: str = "gesture_type_id") -> GestureType:
    found = (
        selectors.gesture_type_list(actor=None, active_only=False)
        .filter(pk=type_id)
        .first()
    )
    if found is None:
        raise ValidationError(
            _("No such gesture type."), fields={field: [_("Unknown.")]}
        )
    return found


def _reasons(ids: list[int]) -> list[GestureReason]:
    found = list(selectors.gesture_reason_list().filter(pk__in=ids))
    missing = sorted(set(ids) - {reason.pk for reason in found})
    if missing:
        raise ValidationError(
            _("No such reason."), fields={"reason_ids": [", ".join(map(str, missing))]}
        )
    return found


def _team(actor: User, team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    team = team_list(actor=actor).filter(pk=team_id).first()
    if team is None:
        raise ValidationError(_("No such team."), fields={"team_id": [_("Unknown.")]})
    return team


def _detail(actor: User, gesture_id: int) -> Gesture:
    return selectors.gesture_get(actor=actor, gesture_id=gesture_id)


# --- catalogue -------------------------------------------------------------------
@router.get("/types", response={200: list[GestureTypeOut], **ERRORS})
@access(STAFF)
def gesture_type_list_api(
    request: HttpRequest, active_only: bool = False
) -> list[GestureType]:
    """The catalogue of gesture types, with their reason codes."""
    actor_of(request)
    return list(
        selectors.gesture_type_list(actor=actor_of(request), active_only=active_only)
    )


@router.post("/types", response={201: GestureTypeOut, **ERRORS})
@access(ADMIN)
def gesture_type_create_api(
    request: HttpRequest, payload: GestureTypeIn
) -> Status[GestureType]:
    """Add a gesture type (administrators)."""
    created = services.gesture_type_create(
        actor=actor_of(request),
        **payload.model_dump(exclude={"reason_ids"}),
        reasons=_reasons(payload.reason_ids),
    )
    return Status(201, _gesture_type(created.pk))


@router.patch("/types/{type_id}", response={200: GestureTypeOut, **ERRORS})
@access(ADMIN)
def gesture_type_update_api(
    request: HttpRequest, type_id: Id, payload: GestureTypePatchIn
) -> GestureType:
    """Change a gesture type (administrators); the code never changes."""
    actor = actor_of(request)
    changes = payload.model_dump(exclude_unset=True, exclude={"reason_ids"})
    reasons = _reasons(payload.reason_ids) if payload.reason_ids is not None else None
    services.gesture_type_update(
        actor=actor,
        gesture_type=_gesture_type(type_id, "type_id"),
        reasons=reasons,
        **changes,
    )
    return _gesture_type(type_id)


@router.get("/reasons", response={200: list[GestureReasonOut], **ERRORS})
@access(STAFF)
def gesture_reason_list_api(request: HttpRequest) -> list[GestureReason]:
    actor_of(request)
    return list(selectors.gesture_reason_list())


@router.post("/reasons", response={201: GestureReasonOut, **ERRORS})
@access(ADMIN)
def gesture_reason_create_api(
    request: HttpRequest, payload: GestureReasonIn
) -> Status[GestureReason]:
    """Add a reason code (administrators)."""
    reason = services.gesture_reason_create(
        actor=actor_of(request), **payload.model_dump()
    )
    return Status(201, reason)


@router.get("/limits", response={200: list[AuthorityLimitOut], **ERRORS})
@access(STAFF)
def authority_limit_list_api(request: HttpRequest) -> list[Any]:
    """The authority matrix: per role (and optionally team) and gesture type."""
    return list(selectors.authority_limit_list(actor=actor_of(request)))


@router.post("/limits", response={200: AuthorityLimitOut, **ERRORS})
@access(STAFF)
def authority_limit_set_api(request: HttpRequest, payload: AuthorityLimitIn) -> Any:
    """Create or change one limit of the matrix (administrators)."""
    actor = actor_of(request)
    return services.authority_limit_set(
        actor=actor,
        role=payload.role,
        team=_team(actor, payload.team_id),
        gesture_type=_gesture_type(payload.gesture_type_id),
        max_per_gesture=payload.max_per_gesture,
        max_per_customer=payload.max_per_customer,
        period_days=payload.period_days,
    )


@router.get("/budgets", response={200: list[BudgetOut], **ERRORS})
@access(STAFF)
def budget_list_api(
    request: HttpRequest, params: Query[BudgetListQuery]
) -> list[Budget]:
    """Budgets with their live consumption (every team's for quality managers and
    administrators, the caller's team's otherwise)."""
    return list(
        selectors.budget_list(actor=actor_of(request), month=params.month)[
            : params.limit
        ]
    )


@router.post("/budgets", response={200: BudgetOut, **ERRORS})
@access(ADMIN)
def budget_set_api(request: HttpRequest, payload: BudgetIn) -> Budget:
    """Create or change a team's monthly budget of one type (administrators)."""
    actor = actor_of(request)
    team = _team(actor, payload.team_id)
    assert team is not None  # noqa: S101 - team_id is required
    return services.budget_set(
        actor=actor,
        team=team,
        gesture_type=_gesture_type(payload.gesture_type_id),
        month=payload.month,
        amount=payload.amount,
        when_spent=payload.when_spent,
    )


def _settings_out(row: GestureSettings) -> SettingsOut:
    return SettingsOut(
        supervisor_due_hours=row.supervisor_due_hours,
        quality_manager_due_hours=row.quality_manager_due_hours,
        admin_due_hours=row.admin_due_hours,
        price_protection_window_days=row.price_protection_window_days,
        promotion_suppression_days=row.promotion_suppression_days,
        price_protection_type_id=row.price_protection_type_id,
        price_protection_reason_id=row.price_protection_reason_id,
        webhook_url=row.webhook_url,
        has_webhook_secret=secret_is_set(row.webhook_secret),
    )


@router.get("/settings", response={200: SettingsOut, **ERRORS})
@access(SUPERVISORS)
def gesture_settings_api(request: HttpRequest) -> SettingsOut:
    """Due times per level, the price-protection window, the webhook (the secret
    is never shown). Supervisors and above."""
    _require(can_view_reports(actor_of(request)))
    return _settings_out(services.gesture_settings_get())


@router.patch("/settings", response={200: SettingsOut, **ERRORS})
@access(ADMIN)
def gesture_settings_update_api(
    request: HttpRequest, payload: SettingsPatchIn
) -> SettingsOut:
    """Change the settings (administrators)."""
    actor = actor_of(request)
    changes = payload.model_dump(exclude_unset=True)
    if "price_protection_type_id" in changes:
        type_id = changes.pop("price_protection_type_id")
        changes["price_protection_type"] = (
            _gesture_type(type_id, "price_protection_type_id") if type_id else None
        )
    if "price_protection_reason_id" in changes:
        reason_id = changes.pop("price_protection_reason_id")
        changes["price_protection_reason"] = (
            _reasons([reason_id])[0] if reason_id else None
        )
    return _settings_out(services.gesture_settings_update(actor=actor, **changes))


# --- approvals, consistency, campaigns, promotions, reports, export ----------------
@router.get("/approvals", response={200: PageOut[GestureOut], **ERRORS})
@access(SUPERVISORS)
def approval_queue_api(
    request: HttpRequest, params: Query[ListQuery]
) -> dict[str, Any]:
    """Gestures waiting for the caller's decision, the most urgent first
    (supervisors and above)."""
    actor = actor_of(request)
    _require(is_approver(actor))
    page = page_of(
        selectors.approval_queue(actor=actor),
        ordering=("due_at", "id"),
        limit=params.limit,
        cursor=params.cursor,
    )
    page["items"] = [step.gesture for step in page["items"]]
    return page


@router.get("/consistency", response={200: ConsistencyOut, **ERRORS})
@access(STAFF)
def gesture_consistency_api(
    request: HttpRequest, params: Query[ConsistencyQuery]
) -> Any:
    """Median, range and outlier fences of what similar cases got (same type,
    category and customer tier, last 12 months), and whether ``value`` is an
    outlier."""
    actor_of(request)
    return selectors.gesture_consistency(
        gesture_type_id=params.gesture_type_id,
        category=params.category,
        customer_tier=params.customer_tier,
        value=params.value,
        at=now(),
    )


def _campaign_detail(actor: User, campaign_id: int) -> CampaignDetailOut:
    campaign = selectors.campaign_get(actor=actor, campaign_id=campaign_id)
    out = CampaignDetailOut.from_orm(campaign)
    out.compensations = [
        CompensationOut.from_orm(item)
        for item in selectors.compensation_list(campaign=campaign)
    ]
    return out


@router.get("/campaigns", response={200: PageOut[CampaignOut], **ERRORS})
@access(SUPERVISORS)
def campaign_list_api(
    request: HttpRequest, params: Query[CampaignListQuery]
) -> dict[str, Any]:
    """Price-protection campaigns, newest price change first (supervisors and up)."""
    actor = actor_of(request)
    _require(can_view_reports(actor))
    return page_of(
        selectors.campaign_list(actor=actor, status=params.status or ""),
        ordering=("-changed_at", "-id"),
        limit=params.limit,
        cursor=params.cursor,
    )


@router.get("/campaigns/{campaign_id}", response={200: CampaignDetailOut, **ERRORS})
@access(SUPERVISORS)
def campaign_get_api(request: HttpRequest, campaign_id: Id) -> CampaignDetailOut:
    actor = actor_of(request)
    _require(can_view_reports(actor))
    return _campaign_detail(actor, campaign_id)


@router.post(
    "/campaigns/{campaign_id}/approve", response={200: CampaignDetailOut, **ERRORS}
)
@access(SUPERVISORS)
def campaign_approve_api(
    request: HttpRequest, campaign_id: Id, payload: CampaignApproveIn
) -> CampaignDetailOut:
    """Approve the vouchers in bulk (all, or ``compensation_ids``)."""
    actor = actor_of(request)
    _require(can_view_reports(actor))
    campaign = selectors.campaign_get(actor=actor, campaign_id=campaign_id)
    services.campaign_approve(
        actor=actor, campaign=campaign, compensation_ids=payload.compensation_ids
    )
    return _campaign_detail(actor, campaign_id)


@router.post(
    "/campaigns/{campaign_id}/reject", response={200: CampaignDetailOut, **ERRORS}
)
@access(SUPERVISORS)
def campaign_reject_api(
    request: HttpRequest, campaign_id: Id, payload: RejectIn
) -> CampaignDetailOut:
    actor = actor_of(request)
    _require(can_view_reports(actor))
    campaign = selectors.campaign_get(actor=actor, campaign_id=campaign_id)
    services.campaign_reject(actor=actor, campaign=campaign, reason=payload.reason)
    return _campaign_detail(actor, campaign_id)


@router.get("/promotions/allowed", response={200: PromotionOut, **ERRORS})
@access(STAFF)
def promotion_allowed_api(
    request: HttpRequest, params: Query[PromotionQuery]
) -> PromotionOut:
    """May a promotional message about this product go to this customer now (or
    ``at``)? Every marketing sender must ask before sending one."""
    actor = actor_of(request)
    customer = customer_get(actor=actor, customer_id=params.customer_id)
    product = product_get(actor=actor, product_id=params.product_id)
    at = params.at or now()
    suppressions = list(
        selectors.promotion_suppressions(
            customer_id=customer.pk, product_id=product.pk, at=at
        )
    )
    return PromotionOut(
        customer_id=customer.pk,
        product_id=product.pk,
        at=at,
        is_allowed=not suppressions,
        suppressions=[SuppressionOut.from_orm(item) for item in suppressions],
    )


@router.get("/reports/spend", response={200: SpendOut, **ERRORS})
@access(SUPERVISORS)
def gesture_spend_api(request: HttpRequest, params: Query[SpendQuery]) -> SpendOut:
    """Count and cost of applied gestures per reason, category, team, agent or
    type, per currency (supervisors and above; a supervisor sees their team)."""
    actor = actor_of(request)
    _require(can_view_reports(actor))
    rows = selectors.gesture_spend(
        actor=actor,
        dimension=params.dimension,
        date_from=params.date_from,
        date_to=params.date_to,
    )
    return SpendOut(
        dimension=params.dimension,
        rows=[SpendRowOut(**row.__dict__) for row in rows],
    )


@router.get("/export.csv", response={200: None, **ERRORS}, openapi_extra=CSV_RESPONSE)
@access(SUPERVISORS)
def gesture_export_api(
    request: HttpRequest, params: Query[ExportQuery]
) -> StreamingHttpResponse:
    """Applied gestures as CSV for the shop or ERP (supervisors and above)."""
    actor = actor_of(request)
    _require(can_view_reports(actor))
    rows = selectors.gesture_export_rows(
        actor=actor, date_from=params.date_from, date_to=params.date_to
    )
    response = StreamingHttpResponse(
        csv_lines(rows.iterator(chunk_size=500)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="gestures.csv"'
    return response


# --- gestures ----------------------------------------------------------------------
@router.get("", response={200: PageOut[GestureOut], **ERRORS})
@access(STAFF)
def gesture_list_api(
    request: HttpRequest, params: Query[GestureListQuery]
) -> dict[str, Any]:
    """Gestures the caller may see, newest first."""
    queryset = selectors.gesture_list(
        actor=actor_of(request),
        status=params.status or "",
        customer_id=params.customer_id,
        case_id=params.case_id,
    )
    return page_of(
        queryset,
        ordering=("-requested_at", "-id"),
        limit=params.limit,
        cursor=params.cursor,
    )


@router.post("", response={200: GestureDetailOut, 201: GestureDetailOut, **ERRORS})
@access(STAFF)
def gesture_propose_api(
    request: HttpRequest, payload: GestureProposeIn
) -> Status[Gesture]:
    """Propose a gesture: 201 ``applied`` within the caller's authority and budget,
    201 ``pending`` when it went for approval, 200 with the stored gesture when this
    idempotency key (body, else ``Idempotency-Key``) was used already."""
    actor = actor_of(request)
    if (payload.case_id is None) == (payload.customer_id is None):
        raise ValidationError(
            _("Give a case or a customer."),
            fields={"case_id": [_("Give exactly one of case_id and customer_id.")]},
        )
    case = case_get(actor=actor, case_id=payload.case_id) if payload.case_id else None
    customer = (
        case.customer
        if case is not None
        else customer_get(actor=actor, customer_id=payload.customer_id or 0)
    )
    gesture_type = _gesture_type(payload.gesture_type_id)
    reason = selectors.gesture_reason_list().filter(pk=payload.reason_id).first()
    if reason is None:
        raise ValidationError(
            _("No such reason."), fields={"reason_id": [_("Unknown.")]}
        )
    line = None
    if payload.order_line_id is not None:
        line = (
            OrderLine.objects.select_related("order")
            .filter(pk=payload.order_line_id)
            .first()
        )
        if line is None:
            raise ValidationError(
                _("No such order line."), fields={"order_line_id": [_("Unknown.")]}
            )
    proposal = services.gesture_propose(
        actor=actor,
        customer=customer,
        case=case,
        gesture_type=gesture_type,
        reason=reason,
        value=payload.value,
        order_line=line,
        note=payload.note,
        idempotency_key=payload.idempotency_key
        or request.headers.get("Idempotency-Key", ""),
    )
    return Status(201 if proposal.created else 200, _detail(actor, proposal.gesture.pk))


@router.get("/{gesture_id}", response={200: GestureDetailOut, **ERRORS})
@access(TEAM)
def gesture_get_api(request: HttpRequest, gesture_id: Id) -> Gesture:
    return _detail(actor_of(request), gesture_id)


@router.post("/{gesture_id}/approve", response={200: GestureDetailOut, **ERRORS})
@access(TEAM)
def gesture_approve_api(
    request: HttpRequest, gesture_id: Id, payload: DecisionIn
) -> Gesture:
    """Approve and apply; 403 ``self_approval`` for one's own request, 403
    ``above_authority`` above the approver's own limit (escalate instead)."""
    actor = actor_of(request)
    gesture = selectors.gesture_get(actor=actor, gesture_id=gesture_id)
    services.gesture_approve(actor=actor, gesture=gesture, reason=payload.reason)
    return _detail(actor, gesture_id)


@router.post("/{gesture_id}/reject", response={200: GestureDetailOut, **ERRORS})
@access(TEAM)
def gesture_reject_api(
    request: HttpRequest, gesture_id: Id, payload: RejectIn
) -> Gesture:
    """Reject with a reason (required)."""
    actor = actor_of(request)
    gesture = selectors.gesture_get(actor=actor, gesture_id=gesture_id)
    services.gesture_reject(actor=actor, gesture=gesture, reason=payload.reason)
    return _detail(actor, gesture_id)


@router.post("/{gesture_id}/escalate", response={200: GestureDetailOut, **ERRORS})
@access(TEAM)
def gesture_escalate_api(
    request: HttpRequest, gesture_id: Id, payload: DecisionIn
) -> Gesture:
    """Pass the request to the next level (409 at the administrator's)."""
    actor = actor_of(request)
    gesture = selectors.gesture_get(actor=actor, gesture_id=gesture_id)
    services.gesture_escalate(actor=actor, gesture=gesture, reason=payload.reason)
    return _detail(actor, gesture_id)
