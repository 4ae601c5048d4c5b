"""The gestures pages through the real views: the case panel (propose, hint), the
approvals queue and decision, budgets, reports, export and campaigns, per role."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amiable.accounts.models import User
from amiable.audit.models import AuditEvent
from amiable.cases.models import Case, CaseCost
from amiable.core.panels import PanelRequest
from amiable.gestures.models import Gesture, GestureStatus, GestureType
from amiable.gestures.panels import portal_case_panel_context
from amiable.gestures.services import gesture_propose
from tests.factories import CaseFactory
from tests.factories.gestures import BudgetFactory, GestureFactory

HTMX = {"HX-Request": "true"}
ROLES = [
    "anonymous",
    "other_agent",
    "agent",
    "supervisor",
    "quality_manager",
    "admin_user",
]


def client_of(request: pytest.FixtureRequest, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


def form(voucher: GestureType, value: str, key: str = "key-1") -> dict[str, Any]:
    return {
        "gesture_type": voucher.pk,
        "reason": voucher.reasons.get().pk,
        "value": value,
        "note": "Geste pour le retard",
        "idempotency_key": key,
    }


def test_the_case_page_shows_the_panel_and_its_form(
    web_client: Client, case: Case, voucher: GestureType
) -> None:
    response = web_client.get(reverse("cases:detail", args=[case.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="gestures-panel"' in content
    assert 'name="idempotency_key"' in content
    assert "Bon d’achat" in content


def test_an_agent_within_limits_applies_from_the_case_page(
    web_client: Client, case: Case, voucher: GestureType
) -> None:
    url = reverse("gestures:propose", args=[case.pk])

    response = web_client.post(url, form(voucher, "25,50"), headers=HTMX)

    gesture = Gesture.objects.get()
    assert response.status_code == 200
    assert 'data-testid="gesture-notice"' in response.content.decode()
    assert (gesture.status, gesture.value) == (GestureStatus.APPLIED, Decimal("25.50"))
    assert CaseCost.objects.get().amount == Decimal("25.50")


def test_a_double_click_with_one_form_key_makes_one_ledger_entry(
    web_client: Client, case: Case, voucher: GestureType
) -> None:
    url = reverse("gestures:propose", args=[case.pk])

    web_client.post(url, form(voucher, "10"), headers=HTMX)
    web_client.post(url, form(voucher, "10"), headers=HTMX)

    assert Gesture.objects.count() == 1
    assert CaseCost.objects.count() == 1


def test_above_limits_from_the_web_the_request_waits(
    web_client: Client, supervisor: User, case: Case, voucher: GestureType
) -> None:
    response = web_client.post(
        reverse("gestures:propose", args=[case.pk]), form(voucher, "45")
    )

    assert response.status_code == 302
    assert Gesture.objects.get().status == GestureStatus.PENDING
    assert CaseCost.objects.count() == 0


def test_a_bad_value_comes_back_with_the_input_kept(
    web_client: Client, case: Case, voucher: GestureType
) -> None:
    response = web_client.post(
        reverse("gestures:propose", args=[case.pk]),
        form(voucher, "abc"),
        headers=HTMX,
    )

    content = response.content.decode()
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#gestures-panel"
    assert 'value="abc"' in content
    assert "Geste pour le retard" in content
    assert Gesture.objects.count() == 0


def test_a_blocked_budget_is_a_clear_message(
    web_client: Client, case: Case, voucher: GestureType
) -> None:
    BudgetFactory.create(
        team=case.team, gesture_type=voucher, amount=Decimal("5"), when_spent="block"
    )

    response = web_client.post(
        reverse("gestures:propose", args=[case.pk]), form(voucher, "6"), headers=HTMX
    )

    assert response.status_code == 409
    assert "budget" in response.content.decode().lower()
    assert Gesture.objects.count() == 0


def test_the_hint_shows_similar_cases_authority_and_budget(
    web_client: Client, case: Case, voucher: GestureType
) -> None:
    for value in ("10", "12", "15", "15", "18"):
        GestureFactory.create(
            gesture_type=voucher,
            value=Decimal(value),
            category="livraison",
            customer_tier="gold",
        )
    BudgetFactory.create(team=case.team, gesture_type=voucher, amount=Decimal("200"))

    response = web_client.get(
        reverse("gestures:hint", args=[case.pk]),
        {"gesture_type": str(voucher.pk), "value": "60"},
        headers={**HTMX, "Accept-Language": "en"},
    )

    content = response.content.decode()
    assert "5 gestures" in content
    assert "€15.00" in content  # the median
    assert 'data-testid="gesture-outlier"' in content
    assert 'data-testid="gesture-above"' in content
    assert "€200.00" in content


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("other_agent", 404), ("agent", 302), ("supervisor", 302)],
)
def test_proposing_per_role(
    request: pytest.FixtureRequest,
    case: Case,
    voucher: GestureType,
    role: str,
    status: int,
) -> None:
    before = AuditEvent.objects.count()

    response = client_of(request, role).post(
        reverse("gestures:propose", args=[case.pk]), form(voucher, "5")
    )

    assert response.status_code == status
    written = Gesture.objects.count()
    assert written == (1 if role in {"agent", "supervisor"} else 0)
    if not written:
        assert AuditEvent.objects.count() == before


@pytest.fixture
def pending(agent: User, case: Case, voucher: GestureType) -> Gesture:
    return gesture_propose(
        actor=agent,
        customer=case.customer,
        case=case,
        gesture_type=voucher,
        reason=voucher.reasons.get(),
        value=Decimal("45.00"),
    ).gesture


PAGES = {
    "approvals": {"anonymous": 302, "other_agent": 403, "agent": 403},
    "reports": {"anonymous": 302, "other_agent": 403, "agent": 403},
    "export": {"anonymous": 302, "other_agent": 403, "agent": 403},
    "campaigns": {"anonymous": 302, "other_agent": 403, "agent": 403},
    "budgets": {"anonymous": 302},
    "list": {"anonymous": 302},
}


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_pages_per_role(
    request: pytest.FixtureRequest, pending: Gesture, role: str, page: str
) -> None:
    response = client_of(request, role).get(reverse(f"gestures:{page}"))

    assert response.status_code == PAGES[page].get(role, 200)


@pytest.mark.parametrize(
    ("role", "status", "sees"),
    [
        ("anonymous", 302, False),
        ("other_agent", 404, False),
        ("agent", 200, False),
        ("supervisor", 200, True),
        ("quality_manager", 200, True),
        ("admin_user", 200, True),
    ],
)
def test_the_gesture_page_and_its_decision_buttons(
    request: pytest.FixtureRequest, pending: Gesture, role: str, status: int, sees: bool
) -> None:
    response = client_of(request, role).get(
        reverse("gestures:detail", args=[pending.pk])
    )

    content = response.content.decode()
    assert response.status_code == status
    assert ('data-testid="approve"' in content) is sees
    assert ('data-testid="own-request"' in content) is (role == "agent")


def test_the_supervisors_queue_has_the_request_and_a_badge(
    supervisor_client: Client, pending: Gesture
) -> None:
    response = supervisor_client.get(
        reverse("gestures:approvals"), headers={"Accept-Language": "en"}
    )

    content = response.content.decode()
    assert f'href="/gestures/{pending.pk}/"' in content
    badge = (
        'Approvals <span class="badge badge--count" data-testid="nav-badge">1</span>'
    )
    assert badge in content


def test_the_approver_page_shows_value_tenure_history_and_similar_cases(
    supervisor_client: Client, pending: Gesture, voucher: GestureType
) -> None:
    GestureFactory.create(
        customer=pending.customer, gesture_type=voucher, value=Decimal("8")
    )
    other_case = CaseFactory.create(category="livraison", subject="Retard Chronopost")
    GestureFactory.create(
        case=other_case,
        gesture_type=voucher,
        category="livraison",
        customer_tier="gold",
        value=Decimal("12"),
    )

    response = supervisor_client.get(
        reverse("gestures:detail", args=[pending.pk]), headers={"Accept-Language": "en"}
    )

    content = response.content.decode()
    assert 'id="c360-title"' in content  # value, tenure, orders, cases
    assert 'data-testid="previous-gestures"' in content
    assert "Retard Chronopost" in content
    assert other_case.reference in content


@pytest.mark.parametrize(
    ("decision", "why", "status", "final"),
    [
        ("approve", "", 302, GestureStatus.APPLIED),
        ("reject", "Déjà dédommagé", 302, GestureStatus.REJECTED),
        ("reject", "", 422, GestureStatus.PENDING),
        ("escalate", "", 302, GestureStatus.PENDING),
    ],
)
def test_deciding_from_the_page(
    supervisor_client: Client,
    pending: Gesture,
    decision: str,
    why: str,
    status: int,
    final: str,
) -> None:
    response = supervisor_client.post(
        reverse("gestures:decide", args=[pending.pk]),
        {"decision": decision, "reason": why},
    )

    assert response.status_code == status
    assert Gesture.objects.get().status == final


def test_the_requester_cannot_approve_from_the_page(
    web_client: Client, pending: Gesture
) -> None:
    response = web_client.post(
        reverse("gestures:decide", args=[pending.pk]), {"decision": "approve"}
    )

    assert response.status_code == 403
    assert Gesture.objects.get().status == GestureStatus.PENDING


def test_the_portal_panel_shows_applied_gestures_only(
    rf: Any, agent: User, case: Case, voucher: GestureType, pending: Gesture
) -> None:
    applied = gesture_propose(
        actor=agent,
        customer=case.customer,
        case=case,
        gesture_type=voucher,
        reason=voucher.reasons.get(),
        value=Decimal("9.99"),
        note="Client pénible",
    ).gesture

    customer_view = portal_case_panel_context(
        PanelRequest(request=rf.get("/"), subject=case, actor=None)
    )
    staff_view = portal_case_panel_context(
        PanelRequest(request=rf.get("/"), subject=case, actor=agent)
    )

    assert customer_view is not None
    assert [gesture.pk for gesture in customer_view["gestures"]] == [applied.pk]
    assert staff_view is None


def test_the_list_and_queue_pages_cost_the_same_for_few_and_many(
    supervisor_client: Client, agent: User, case: Case, voucher: GestureType
) -> None:
    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = supervisor_client.get(url)
        assert response.status_code == 200
        return len(captured)

    def add(number: int) -> None:
        for index in range(number):
            gesture_propose(
                actor=agent,
                customer=case.customer,
                case=case,
                gesture_type=voucher,
                reason=voucher.reasons.get(),
                value=Decimal("40") + index,
            )

    add(2)
    few = (count(reverse("gestures:list")), count(reverse("gestures:approvals")))
    add(20)

    many = (count(reverse("gestures:list")), count(reverse("gestures:approvals")))
    # The supervisor's pages also count the supervisor-queue badge (cases app).
    assert few == many == (7, 7)


def test_without_htmx_a_bad_form_comes_back_on_its_own_page(
    web_client: Client, case: Case, voucher: GestureType
) -> None:
    response = web_client.post(
        reverse("gestures:propose", args=[case.pk]), form(voucher, "-3")
    )

    content = response.content.decode()
    assert response.status_code == 422
    assert case.reference in content
    assert 'value="-3"' in content
    assert Gesture.objects.count() == 0
