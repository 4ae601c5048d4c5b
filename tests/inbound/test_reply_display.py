"""Folded, not deleted: an inbound reply's quoted text and signature are on the case
page and the portal behind a « Show … » toggle; messages stored before the line
classifier are shown with it; the corpus checker reports hidden customer text."""

from __future__ import annotations

import html
import re

import pytest
from bench.replies_legacy import legacy_visible
from django.test import Client
from django.urls import reverse

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.conversations.models import Direction, Interaction
from amiable.inbound.corpus_check import corpus_check
from amiable.inbound.reply_check import hidden_customer_lines
from amiable.inbound.services import email_ingest
from amiable.inbound.services.imports import ImportReport
from tests.factories import CaseFactory, CustomerFactory, InteractionFactory
from tests.inbound.conftest import build_email
from tests.portal.conftest import signed_in

pytestmark = pytest.mark.django_db

REPLY = (
    "Bonjour,\n\nIl manque :\n- la housse de couette\n- les deux taies\n"
    "- le drap housse\n\nCordialement,\nMarie Dupont\n06 12 34 56 78\n\n"
    "Le mar. 1 déc. 2026 à 10:12, Service client <support@amiable.localhost> "
    "a écrit :\n> Votre commande <b>48213</b> est partie.\n"
)
FOLD = re.compile(
    r'<details class="reply-fold reply-fold--(\w+)" data-testid="reply-fold">'
    r"<summary>([^<]*)</summary>"
    r'<div class="reply-folded" translate="no">(.*?)</div></details>',
    re.DOTALL,
)


@pytest.fixture
def staff_client(admin_user: User) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


def _folds(page: str) -> list[tuple[str, str, str]]:
    return [
        (kind, summary, html.unescape(text))
        for kind, summary, text in FOLD.findall(page)
    ]


def test_a_reply_is_stored_with_its_lines_classified_and_its_full_text() -> None:
    email_ingest(raw=build_email(subject="Re: Commande", body=REPLY), source="smtp")

    stored = Interaction.objects.get(direction=Direction.INBOUND)
    assert stored.body_text == (
        "Bonjour,\n\nIl manque :\n- la housse de couette\n- les deux taies\n"
        "- le drap housse"
    )
    assert stored.metadata["reply_lines"] == "TTTTTTTSSSSHQ"
    assert stored.metadata["full_text"].startswith(REPLY.rstrip("\n"))
    assert stored.metadata["signature"] == "Cordialement,\nMarie Dupont\n06 12 34 56 78"
    assert stored.metadata["quoted_removed"] is True


def test_the_case_page_shows_every_customer_line_and_folds_the_rest(
    staff_client: Client,
) -> None:
    email_ingest(raw=build_email(subject="Re: Commande", body=REPLY), source="smtp")
    case = Case.objects.get()

    page = staff_client.get(reverse("cases:detail", args=[case.pk])).content.decode()

    for line in ("- la housse de couette", "- les deux taies", "- le drap housse"):
        assert html.escape(line) in page
    assert _folds(page) == [
        (
            "quote_signature",
            "Afficher la signature et le texte cité",
            "Cordialement,\nMarie Dupont\n06 12 34 56 78\n\n"
            "Le mar. 1 déc. 2026 à 10:12, Service client <support@amiable.localhost> "
            "a écrit :\n> Votre commande <b>48213</b> est partie.",
        )
    ]
    assert "<b>48213</b>" not in page  # escaped, never markup


def test_the_portal_shows_the_customer_their_message_with_the_same_folds() -> None:
    email_ingest(raw=build_email(subject="Re: Commande", body=REPLY), source="smtp")
    case = Case.objects.get()

    page = signed_in(case.customer).get(f"/portal/cases/{case.pk}/").content.decode()

    assert html.escape("- le drap housse") in page
    assert [kind for kind, _summary, _text in _folds(page)] == ["quote_signature"]


def test_a_message_stored_by_the_old_extractor_is_shown_whole_again(
    staff_client: Client,
) -> None:
    """Before the classifier, the list below its first item was cut as a signature
    and only the full text kept it: the page classifies that text again."""
    customer = CustomerFactory.create()
    case = CaseFactory.create(customer=customer)
    InteractionFactory.create(
        customer=customer,
        case=case,
        subject="Re: Commande",
        body_text=legacy_visible(subject="Re: Commande", text=REPLY),
        metadata={"email": {"from": "x@exemple.fr"}, "full_text": REPLY},
    )

    page = staff_client.get(reverse("cases:detail", args=[case.pk])).content.decode()

    assert "housse de couette" not in legacy_visible(subject="", text=REPLY)
    assert html.escape("- le drap housse") in page
    assert [kind for kind, _summary, _text in _folds(page)] == ["quote_signature"]


def test_an_english_reader_gets_english_toggles(admin_user: User) -> None:
    admin_user.preferred_language = "en"
    admin_user.save(update_fields=["preferred_language"])
    client = Client()
    client.force_login(admin_user)
    body = (
        "Yes please.\n\nSent from my iPhone\n\n"
        "On Tue, Dec 1, 2026 at 10:12 AM X <x@example.com> wrote:\n> Refund?"
    )
    email_ingest(raw=build_email(subject="Re: Refund", body=body), source="smtp")
    case = Case.objects.get()

    page = client.get(
        reverse("cases:detail", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert [summary for _kind, summary, _text in _folds(page)] == [
        "Show the signature and the quoted text"
    ]


def _empty_report() -> ImportReport:
    return ImportReport(items=())


@pytest.mark.parametrize(
    ("visible", "hidden"),
    [
        (legacy_visible(subject="Re: Commande", text=REPLY), 3),
        ("Bonjour,\n\nIl manque :\n- la housse de couette\n- les deux taies\n"
         "- le drap housse", 0),
    ],
)  # fmt: skip
def test_the_corpus_check_reports_customer_text_hidden_by_reply_stripping(
    visible: str, hidden: int
) -> None:
    customer = CustomerFactory.create()
    InteractionFactory.create(
        customer=customer,
        body_text=visible,
        metadata={"full_text": REPLY, "reply_lines": ""},
    )

    check = corpus_check(raws=[], first=_empty_report(), second=_empty_report())

    problems = [p for p in check.problems if p.startswith("customer text hidden")]
    assert len(problems) == hidden


def test_the_hidden_text_check_reads_no_break_spaces_as_spaces() -> None:
    """An HTML message's ``&nbsp;`` is U+00A0 in one text and a space in the other:
    the same line, shown; a line really missing is still reported."""
    original = (
        "Bonjour,\n\nDocument         N.           MONTANT DEV.\n\n"
        "Merci de me rappeler."
    )
    visible = "Bonjour,\n\nDocument\xa0\xa0\xa0\xa0 N.\xa0\xa0 MONTANT DEV."

    assert hidden_customer_lines(original, visible) == ["Merci de me rappeler."]
