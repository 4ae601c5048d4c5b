"""Issue 17, class 8: a reply whose In-Reply-To names someone else's message follows
its References to the sender's own case; a person's message relayed by a group
(List-Id) is a person's, a newsletter is not. And the corpus checker catches robots
opening cases and spam complaints taken for bounces."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from amiable.cases.models import Case
from amiable.inbound.corpus_check import (
    _check_feedback_reports,
    _check_robot_senders,
    corpus_check,
    is_feedback_report,
    looks_robot_sender,
)
from amiable.inbound.mail_files import mail_files_read
from amiable.inbound.models import InboundEmail, InboundStatus
from amiable.inbound.services import email_import, email_ingest
from tests.inbound.conftest import EML_DIR

ROBOTS_DIR = EML_DIR / "robots"
EXPECTED: dict[str, dict[str, Any]] = json.loads(
    (ROBOTS_DIR / "expected.json").read_text(encoding="utf-8")
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cases(make_email: Callable[..., bytes]) -> tuple[int, int]:
    """Ana's case (her message <ana-1@x>) and Bea's (<bea-1@x>)."""
    ana = email_ingest(
        raw=make_email(sender="ana@exemple.fr", message_id="<ana-1@x>"), source="smtp"
    )
    bea = email_ingest(
        raw=make_email(
            sender="bea@exemple.fr", subject="Autre sujet", message_id="<bea-1@x>"
        ),
        source="smtp",
    )
    assert ana.case_id is not None
    assert bea.case_id is not None
    return ana.case_id, bea.case_id


@pytest.mark.parametrize(
    ("in_reply_to", "references"),
    [
        ("<ana-1@x>", "<bea-1@x> <ana-1@x>"),  # answering Ana, copied in
        ("<ana-1@x>", "<bea-1@x>"),  # only her own in References
        ("<ana-1@x>", "<bea-1@x> <unknown@x> <ana-1@x>"),  # an unknown id between
        ("<unknown@x>", "<ana-1@x> <bea-1@x>"),  # the stranger's is the newest
    ],
)
def test_a_reply_naming_another_customers_message_follows_its_own_references(
    make_email: Callable[..., bytes],
    two_cases: tuple[int, int],
    in_reply_to: str,
    references: str,
) -> None:
    _ana_case, bea_case = two_cases
    reply = make_email(
        sender="bea@exemple.fr",
        subject="Re: Ma commande",
        in_reply_to=in_reply_to,
        references=references,
    )

    result = email_ingest(raw=reply, source="smtp")

    assert result.status == InboundStatus.THREADED
    assert result.case_id == bea_case


def test_a_reply_naming_only_a_strangers_message_opens_a_case_of_its_own(
    make_email: Callable[..., bytes], two_cases: tuple[int, int]
) -> None:
    reply = make_email(
        sender="bea@exemple.fr", subject="Re: x", in_reply_to="<ana-1@x>"
    )

    result = email_ingest(raw=reply, source="smtp")

    assert result.status == InboundStatus.OPENED
    assert result.case_id not in two_cases
    assert "belongs to another customer" in result.reason


@pytest.mark.parametrize(
    ("name", "address", "person"),
    [
        ("group-google-dmarc-rewrite.eml", "claire.dubois@exemple.fr", "Claire Dubois"),
        (
            "group-google-dmarc-rewrite-member-inbox.eml",
            "hugo.lambert@exemple.fr",
            "Hugo Lambert",
        ),
    ],
)
def test_a_group_rewriting_from_gives_the_case_to_the_person(
    name: str, address: str, person: str
) -> None:
    raw = (ROBOTS_DIR / name).read_bytes()

    result = email_ingest(raw=raw, source="smtp")

    assert result.case_id is not None
    case = Case.objects.get(pk=result.case_id)
    assert case.customer.identities.get().normalized == address
    assert case.customer.name == person


def test_our_own_mail_relayed_by_the_group_is_still_a_loop(
    make_email: Callable[..., bytes],
) -> None:
    raw = make_email(
        sender="Service client <support@amiable.localhost>",
        headers={
            "List-Id": "<support.amiable.localhost>",
            "Reply-To": "support@amiable.localhost",
            "X-Amiable-Case": "C-2026-000001",
        },
    )

    assert email_ingest(raw=raw, source="smtp").status == InboundStatus.LOOP


@pytest.mark.parametrize(
    "name", sorted(name for name, facts in EXPECTED.items() if facts["class"] == 8)
)
def test_group_relays_open_cases_and_newsletters_do_not(name: str) -> None:
    result = email_ingest(raw=(ROBOTS_DIR / name).read_bytes(), source="smtp")

    assert result.status == EXPECTED[name]["status"], result.reason


def test_the_robots_corpus_passes_the_corpus_check_twice() -> None:
    messages = list(mail_files_read([ROBOTS_DIR]))
    assert len(messages) == len(EXPECTED)

    first = email_import(messages=messages)
    second = email_import(messages=messages)
    check = corpus_check(
        raws=[message.raw for message in messages], first=first, second=second
    )

    assert check.problems == []
    assert check.robot_sender_cases == 0
    assert check.feedback_reports_misread == 0
    assert check.statuses[InboundStatus.COMPLAINT] == sum(
        facts["status"] == "complaint" for facts in EXPECTED.values()
    )


def test_the_corpus_check_counts_a_robot_sender_that_opened_a_case(
    make_email: Callable[..., bytes],
) -> None:
    # What happened before the fix, replayed on the ledger: a notice from a
    # list manager stored as a message that opened a case.
    robot = (ROBOTS_DIR / "mailman-owner-moderation.eml").read_bytes()
    person = make_email()
    opened = email_ingest(raw=person, source="command")

    problems: list[str] = []
    assert _check_robot_senders({opened.email_id: robot}, problems) == 1
    assert "a robot sender opened case" in problems[0]
    assert _check_robot_senders({opened.email_id: person}, []) == 0


def test_the_corpus_check_counts_a_complaint_recorded_as_a_bounce() -> None:
    bounce = email_ingest(raw=(EML_DIR / "bounce-dsn.eml").read_bytes(), source="smtp")
    assert bounce.status == InboundStatus.BOUNCE
    arf = (ROBOTS_DIR / "arf-missing-report-type.eml").read_bytes()

    problems: list[str] = []
    assert _check_feedback_reports({bounce.email_id: arf}, problems) == 1
    assert "recorded as bounce" in problems[0]
    assert InboundEmail.objects.get(pk=bounce.email_id).status == "bounce"


@pytest.mark.parametrize(
    "name",
    sorted(
        name
        for name, facts in EXPECTED.items()
        if facts["status"] == "complaint" and name.startswith("arf-")
    ),
)
def test_the_yardstick_knows_every_feedback_report(name: str) -> None:
    raw = (ROBOTS_DIR / name).read_bytes()

    assert is_feedback_report(raw)
    assert looks_robot_sender(raw) == "a feedback-loop report"


def test_the_yardstick_takes_no_person_for_a_robot() -> None:
    for name, facts in EXPECTED.items():
        if facts["status"] == "opened":
            assert looks_robot_sender((ROBOTS_DIR / name).read_bytes()) == "", name
