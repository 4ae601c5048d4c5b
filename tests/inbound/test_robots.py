"""Issue 17, classes 1, 2 and 8, on the robots corpus (``eml/robots/generate.py``):
robots (cloud services' no-reply senders, mail servers under every spelling,
mailing-list managers, carriers' reports, feedback loops) never open a case, while
people whose words look like a robot's do; spam complaints are complaints, not
bounces; a person's message relayed by a group is a person's."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from amiable.cases.models import Case
from amiable.conversations.models import Direction, Interaction
from amiable.customers.models import Customer
from amiable.inbound.models import InboundStatus
from amiable.inbound.services import email_ingest
from tests.inbound.conftest import EML_DIR

ROBOTS_DIR = EML_DIR / "robots"
EXPECTED: dict[str, dict[str, Any]] = json.loads(
    (ROBOTS_DIR / "expected.json").read_text(encoding="utf-8")
)
LANDED = {InboundStatus.OPENED, InboundStatus.THREADED}

pytestmark = pytest.mark.django_db


def robot_eml(name: str) -> bytes:
    return (ROBOTS_DIR / name).read_bytes()


def test_the_corpus_on_disk_is_the_generated_one_with_variants_per_class() -> None:
    on_disk = sorted(path.name for path in ROBOTS_DIR.glob("*.eml"))
    assert on_disk == sorted(EXPECTED)
    per_class: dict[int, int] = {}
    for facts in EXPECTED.values():
        per_class[facts["class"]] = per_class.get(facts["class"], 0) + 1
    assert per_class[1] >= 25
    assert per_class[2] >= 6
    assert per_class[8] >= 8


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_fixture_lands_as_expected(name: str) -> None:
    expected = EXPECTED[name]

    result = email_ingest(raw=robot_eml(name), source="command")

    assert result.status == expected["status"], result.reason
    if expected["status"] in LANDED:
        assert Case.objects.count() == 1
    else:  # a robot: no case, and no customer made up for it
        assert Case.objects.count() == 0
        assert Customer.objects.count() == 0


def test_a_cloud_service_bounce_notice_marks_the_email_we_sent(
    make_email: Callable[..., bytes],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email_ingest(raw=make_email(message_id="<c@exemple.fr>"), source="smtp")
    sent = Interaction.objects.get(direction=Direction.OUTBOUND)
    raw = robot_eml("ses-sns-bounce-notice.eml").replace(
        b"sent-by-us-arf@amiable.localhost", sent.message_id.encode()
    )

    result = email_ingest(raw=raw, source="smtp")

    assert result.status == InboundStatus.BOUNCE
    assert result.interaction_id == sent.pk
    sent.refresh_from_db()
    assert sent.metadata["delivery"] == "bounced"
    assert sent.metadata["bounced_recipient"] == "absent@ailleurs.exemple"
    assert Case.objects.count() == 1


def test_a_transient_bounce_notice_bounces_nothing(
    make_email: Callable[..., bytes],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email_ingest(raw=make_email(message_id="<c@exemple.fr>"), source="smtp")

    result = email_ingest(
        raw=robot_eml("ses-sns-transient-bounce-notice.eml"), source="smtp"
    )

    assert result.status == InboundStatus.AUTO_REPLY
    sent = Interaction.objects.get(direction=Direction.OUTBOUND)
    assert sent.metadata["delivery"] == "sent"
