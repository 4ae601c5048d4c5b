"""Retention policies: who is erased because we no longer need their data.

Configured in settings (0 turns a policy off):

- ``prospects`` (``AMIABLE_RETENTION_PROSPECT_YEARS``, 3): people who never bought,
  3 years after their last contact *from them* (a message they sent, an answer to
  a survey), or after we recorded them (CNIL référentiel 2021-131);
- ``closed_cases`` (``AMIABLE_RETENTION_CLOSED_CASE_YEARS``, 5): customers whose
  cases are all closed, N years after the last one closed, with no purchase or
  contact from them since (the 5-year limitation period, C. civ. 2224);
- ``exports`` (``AMIABLE_PRIVACY_EXPORT_DAYS``, 30): export archives past their
  download date are deleted.

Each person found becomes an erasure request (source « retention »), run by the
same eraser as a staff request. A dry run counts without changing anything."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Exists, F, Max, OuterRef, QuerySet
from django.db.models.functions import Coalesce, Greatest

from amiable.cases.models import Case, CaseStatus
from amiable.commerce.models import Order
from amiable.conversations.models import Direction, Interaction
from amiable.core.clock import now
from amiable.core.personal_data import TOMBSTONE
from amiable.customers.models import Customer, CustomerStatus
from amiable.feedback.models import SurveyResponse
from amiable.privacy.models import (
    OPEN_STATUSES,
    DataRequest,
    RequestKind,
    RequestSource,
)
from amiable.privacy.services import data_request_create


@dataclass(frozen=True)
class PolicyReport:
    policy: str
    count: int
    cutoff: dt.datetime | None


def _candidates() -> QuerySet[Customer]:
    """Customers still named, not merged, with no erasure under way and no case
    still open (a relationship in progress is never « expired »)."""
    open_erasure = DataRequest.objects.filter(
        customer=OuterRef("pk"), kind=RequestKind.ERASURE, status__in=OPEN_STATUSES
    )
    open_case = Case.objects.filter(customer=OuterRef("pk")).exclude(
        status=CaseStatus.CLOSED
    )
    return (
        Customer.objects.filter(status=CustomerStatus.ACTIVE)
        .exclude(name=TOMBSTONE)
        .exclude(Exists(open_erasure))
        .exclude(Exists(open_case))
    )


def _contacted_before(
    queryset: QuerySet[Customer], cutoff: dt.datetime
) -> QuerySet[Customer]:
    """Those whose last contact was before ``cutoff``: the latest thing that came
    from the person, else when we recorded them (outbound messages and opens never
    count)."""
    inbound = (
        Interaction.objects.filter(customer=OuterRef("pk"), direction=Direction.INBOUND)
        .order_by()
        .values("customer")
        .annotate(last=Max("occurred_at"))
        .values("last")
    )
    answered = (
        SurveyResponse.objects.filter(survey__customer=OuterRef("pk"))
        .order_by()
        .values("survey__customer")
        .annotate(last=Max("created_at"))
        .values("last")
    )
    return queryset.annotate(
        last_contact=Greatest(
            F("created_at"),
            Coalesce(inbound, F("created_at")),
            Coalesce(answered, F("created_at")),
        )
    ).filter(last_contact__lt=cutoff)


def prospects_due(cutoff: dt.datetime) -> QuerySet[Customer]:
    has_order = Order.objects.filter(customer=OuterRef("pk"))
    return _contacted_before(_candidates().exclude(Exists(has_order)), cutoff)


def closed_cases_due(cutoff: dt.datetime) -> QuerySet[Customer]:
    recently_closed = Case.objects.filter(
        customer=OuterRef("pk"), closed_at__gte=cutoff
    )
    recent_order = Order.objects.filter(customer=OuterRef("pk"), placed_at__gte=cutoff)
    any_case = Case.objects.filter(customer=OuterRef("pk"))
    return _contacted_before(
        _candidates()
        .filter(Exists(any_case))
        .exclude(Exists(recently_closed))
        .exclude(Exists(recent_order)),
        cutoff,
    )


def expired_exports() -> QuerySet[DataRequest]:
    return DataRequest.objects.exclude(archive="").filter(expires_at__lt=now())


def _cutoff(years: int) -> dt.datetime | None:
    return now() - relativedelta(years=years) if years > 0 else None


def retention_run(*, dry_run: bool) -> list[PolicyReport]:
    """Apply (or count, with ``dry_run``) every policy; one report per policy."""
    batch = settings.AMIABLE_RETENTION_BATCH
    reports = []
    for policy, years, finder in (
        ("prospects", settings.AMIABLE_RETENTION_PROSPECT_YEARS, prospects_due),
        (
            "closed_cases",
            settings.AMIABLE_RETENTION_CLOSED_CASE_YEARS,
            closed_cases_due,
        ),
    ):
        cutoff = _cutoff(years)
        if cutoff is None:
            reports.append(PolicyReport(policy, 0, None))
            continue
        due = finder(cutoff).order_by("pk")
        if dry_run:
            reports.append(PolicyReport(policy, due.count(), cutoff))
            continue
        customers = list(due[:batch])
        for customer in customers:
            data_request_create(
                actor=None,
                customer=customer,
                kind=RequestKind.ERASURE,
                source=RequestSource.RETENTION,
                policy=policy,
            )
        reports.append(PolicyReport(policy, len(customers), cutoff))
    expired = expired_exports()
    if dry_run:
        reports.append(PolicyReport("exports", expired.count(), now()))
        return reports
    count = 0
    for request in expired[:batch]:
        request.archive.delete(save=False)
        DataRequest.objects.filter(pk=request.pk).update(archive="", archive_size=0)
        count += 1
    reports.append(PolicyReport("exports", count, now()))
    return reports
