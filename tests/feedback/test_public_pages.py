"""The public survey pages: GET records nothing, POST records once, links are
bound to their survey, and bad answers close the loop with one follow-up case."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import signing
from django.test import Client

from amiable.cases.models import Case, CaseKind, CasePriority
from amiable.customers.models import Customer
from amiable.feedback.models import FeedbackSettings, Survey, SurveyKind, SurveyResponse
from amiable.feedback.signing import SALT, token_make
from tests.factories import CustomerFactory
from tests.factories.feedback import SurveyFactory, SurveyResponseFactory
from tests.feedback.conftest import link


@pytest.fixture
def survey(customer: Customer) -> Survey:
    return SurveyFactory.create(customer=customer, kind=SurveyKind.NPS)


@pytest.fixture
def csrf_client() -> Client:
    """A browser without a session that enforces CSRF like production."""
    return Client(enforce_csrf_checks=True)


def _post(client: Client, url: str, data: dict[str, str]) -> tuple[int, str]:
    """GET the page (which sets the CSRF cookie), then POST with the token."""
    client.get(url)
    token = client.cookies["csrftoken"].value
    response = client.post(url.split("?")[0], {**data, "csrfmiddlewaretoken": token})
    return response.status_code, response.get("Location", "")


def test_get_on_a_link_shows_the_score_preselected_and_records_nothing(
    client: Client, survey: Survey
) -> None:
    response = client.get(link(survey, 3))

    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="3" id="id_score_3" required checked>' in body
    assert body.count(" checked>") == 1
    assert response["Cache-Control"] == "no-store"
    assert SurveyResponse.objects.count() == 0
    assert Survey.objects.get().answered_at is None
    assert Case.objects.count() == 0


def test_post_records_the_answer_without_a_session(
    csrf_client: Client, survey: Survey
) -> None:
    url = link(survey, 9)

    status, location = _post(csrf_client, url, {"score": "9", "comment": ""})

    assert status == 302
    assert location == url.split("?")[0] + "thanks/"
    answer = SurveyResponse.objects.get()
    assert (answer.survey_id, answer.score, answer.comment) == (survey.pk, 9, "")
    assert Survey.objects.get().answered_at is not None
    assert "sessionid" not in csrf_client.cookies


def test_post_without_csrf_token_is_refused(
    csrf_client: Client, survey: Survey
) -> None:
    response = csrf_client.post(link(survey), {"score": "9"})

    assert response.status_code == 403
    assert SurveyResponse.objects.count() == 0


def test_second_post_updates_the_one_answer(client: Client, survey: Survey) -> None:
    client.post(link(survey), {"score": "7", "comment": "Correct."})

    client.post(link(survey), {"score": "8", "comment": ""})

    answer = SurveyResponse.objects.get()
    assert (answer.score, answer.comment) == (8, "Correct.")
    assert SurveyResponse.objects.count() == 1


def test_comment_can_follow_on_the_thank_you_page(
    client: Client, survey: Survey
) -> None:
    client.post(link(survey), {"score": "10"})
    thanks = client.get(link(survey) + "thanks/")

    client.post(link(survey), {"score": "10", "comment": "Très rapide, merci."})

    assert thanks.status_code == 200
    assert "Qu’avez-vous le plus apprécié ?" in thanks.content.decode()
    assert SurveyResponse.objects.get().comment == "Très rapide, merci."


def test_out_of_scale_score_is_refused(client: Client, survey: Survey) -> None:
    response = client.post(link(survey), {"score": "11"})

    assert response.status_code == 422
    assert SurveyResponse.objects.count() == 0


def test_token_of_survey_a_cannot_record_on_survey_b(
    client: Client, customer: Customer
) -> None:
    first = SurveyFactory.create(customer=customer)
    second = SurveyFactory.create(customer=CustomerFactory.create())
    token_a = token_make(first.public_key)
    # Keep A's timestamp and signature, put B's key in front: the signature covers
    # the key, so this does not name B.
    forged = second.public_key + token_a[len(first.public_key) :]

    response = client.post(f"/s/{forged}/", {"score": "0"})

    assert response.status_code == 404
    assert SurveyResponse.objects.count() == 0
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    "token",
    [
        "nothing-here",
        "test-survey-key-00000000:1abcde:forgedsignature",
        # Well formed, but signed with another salt. Its timestamp differs between
        # xdist workers, hence the fixed ids below.
        signing.TimestampSigner(salt="another.salt").sign("test-survey-key-00000000"),
    ],
    ids=["garbage", "forged-signature", "other-salt"],
)
def test_invalid_token_gives_a_not_found_page(
    client: Client, survey: Survey, token: str
) -> None:
    get = client.get(f"/s/{token}/?score=9")
    post = client.post(f"/s/{token}/", {"score": "9"})

    assert (get.status_code, post.status_code) == (404, 404)
    assert "Enquête introuvable" in get.content.decode()
    assert SurveyResponse.objects.count() == 0


def test_expired_token_gives_a_gone_page_in_the_customer_language(
    client: Client, db: None
) -> None:
    english = CustomerFactory.create(preferred_language="en")
    survey = SurveyFactory.create(customer=english, language="en")
    FeedbackSettings.objects.create(pk=1, link_max_age_days=1)
    old = signing.TimestampSigner(salt=SALT)
    old.timestamp = lambda: signing.b62_encode(  # type: ignore[method-assign]
        int((dt.datetime.now(tz=dt.UTC) - dt.timedelta(days=2)).timestamp())
    )
    token = old.sign(survey.public_key)

    get = client.get(f"/s/{token}/?score=9")
    post = client.post(f"/s/{token}/", {"score": "9"})

    assert (get.status_code, post.status_code) == (410, 410)
    assert get["Content-Language"] == "en"
    assert "This survey link has expired" in get.content.decode()
    assert SurveyResponse.objects.count() == 0


@pytest.mark.parametrize(
    ("kind", "score"),
    [
        (SurveyKind.NPS, 6),
        (SurveyKind.CSAT, 2),
        (SurveyKind.CES, 3),
        (SurveyKind.CHECK, 0),
    ],
)
def test_detractor_opens_exactly_one_follow_up_case(
    client: Client, customer: Customer, kind: str, score: int
) -> None:
    survey = SurveyFactory.create(customer=customer, kind=kind)

    client.post(link(survey), {"score": str(score), "comment": "Colis abîmé."})
    client.post(link(survey), {"score": str(score), "comment": "Toujours rien reçu."})
    client.post(link(survey), {"score": str(score)})

    case = Case.objects.get()
    assert (case.kind, case.priority, case.category, case.customer_id) == (
        CaseKind.COMPLAINT,
        CasePriority.HIGH,
        "survey-follow-up",
        customer.pk,
    )
    assert SurveyResponse.objects.get().follow_up_case_id == case.pk
    bodies = [i.body_text for i in case.interactions.order_by("occurred_at", "id")]
    assert len(bodies) == 2
    assert "> Colis abîmé." in bodies[0]
    assert "> Toujours rien reçu." in bodies[1]


@pytest.mark.parametrize(("score", "comment"), [(10, ""), (8, "Bien."), (9, "Parfait")])
def test_promoters_and_passives_open_no_case(
    client: Client, survey: Survey, score: int, comment: str
) -> None:
    client.post(link(survey), {"score": str(score), "comment": comment})

    assert Case.objects.count() == 0


def test_negative_comment_from_a_passive_opens_a_case(
    client: Client, survey: Survey
) -> None:
    client.post(link(survey), {"score": "7", "comment": "Franchement déçu du suivi."})

    assert Case.objects.count() == 1


def test_thank_you_invites_promoters_to_a_public_review(
    client: Client, survey: Survey
) -> None:
    FeedbackSettings.objects.create(pk=1, review_url="https://avis.exemple.fr/amiable")
    SurveyResponseFactory.create(survey=survey, score=10)

    response = client.get(link(survey) + "thanks/")

    assert 'href="https://avis.exemple.fr/amiable"' in response.content.decode()


def test_thank_you_does_not_invite_detractors_to_a_public_review(
    client: Client, survey: Survey
) -> None:
    FeedbackSettings.objects.create(pk=1, review_url="https://avis.exemple.fr/amiable")
    SurveyResponseFactory.create(survey=survey, score=2)

    response = client.get(link(survey) + "thanks/")

    assert "avis.exemple.fr" not in response.content.decode()
    assert "vous contacter personnellement" in response.content.decode()
