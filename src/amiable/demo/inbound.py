"""Demo data of the inbound channels: the support mailbox, one signed source per
webhook kind, two online reviews (one negative, with a draft of the public reply),
an email thread and a quarantined message. Everything goes through the real services
and is idempotent (sources by slug, reviews by id, emails by Message-ID)."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime

from amiable.accounts.models import Team, User
from amiable.core.clock import now
from amiable.customers.models import IdentityKind
from amiable.inbound.models import (
    InboundSource,
    Mailbox,
    Review,
    WebhookKind,
    WebhookSource,
)
from amiable.inbound.services import (
    ChannelMessage,
    IdentityRef,
    email_ingest,
    review_receive,
    review_reply_draft_save,
)

# What this module adds to a fresh demo (the loader's own counts do not include it).
CUSTOMERS_ADDED = 3  # two reviewers and one email correspondent
EMAIL_IDENTITIES_ADDED = 1
CASES_ADDED = 2  # the one-star review, the email thread
INTERACTIONS_ADDED = 5  # two reviews, two emails and the acknowledgement
DEMO_SECRET = "demo-secret-change-me"  # noqa: S105 (demo sources, documented)
SOURCES = (
    ("email-demo", "Inbound email (demo)", WebhookKind.EMAIL),
    ("sms-demo", "SMS provider (demo)", WebhookKind.SMS),
    ("social-demo", "Social networks (demo)", WebhookKind.SOCIAL),
    ("avis-demo", "Online reviews (demo)", WebhookKind.REVIEW),
    ("formulaire-demo", "Contact form (demo)", WebhookKind.WEBFORM),
    ("chat-demo", "Chat (demo)", WebhookKind.CHAT),
)
REVIEWS = (
    (
        "demo-review-1",
        1,
        "Colis jamais arrivé",
        "Trois semaines d'attente, aucune nouvelle, et personne ne répond au "
        "téléphone. Je déconseille.",
        "Claire B.",
        "Bonjour Claire, nous sommes sincèrement désolés pour ce retard. Nous "
        "venons de vous écrire pour régler la situation au plus vite.",
    ),
    (
        "demo-review-2",
        5,
        "Parfait",
        "Livraison rapide et SAV aux petits soins.",
        "Marc",
        "",
    ),
)


def _email(subject: str, body: str, message_id: str, reply_to: str = "") -> bytes:
    message = EmailMessage()
    message["From"] = "Juliette Moreau <juliette.moreau@exemple.fr>"
    message["To"] = "support@amiable.localhost"
    message["Subject"] = subject
    message["Date"] = format_datetime(now())
    message["Message-ID"] = message_id
    if reply_to:
        message["In-Reply-To"] = reply_to
        message["References"] = reply_to
    message.set_content(body)
    return message.as_bytes()


def inbound_demo_ensure(*, team: Team | None, agent: User | None) -> int:
    """Add what is missing; returns how many things were added."""
    added = 0
    if not Mailbox.objects.filter(address="support@amiable.localhost").exists():
        Mailbox.objects.create(
            name="Service client", address="support@amiable.localhost", team=team
        )
        added += 1
    for slug, name, kind in SOURCES:
        _source, created = WebhookSource.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "kind": kind, "secret": DEMO_SECRET, "team": team},
        )
        added += created
    source = WebhookSource.objects.get(slug="avis-demo")
    for external_id, rating, title, text, author, draft in REVIEWS:
        if Review.objects.filter(external_id=external_id).exists():
            continue
        review, _new = review_receive(
            source=source,
            nonce=f"demo-{external_id}",
            message=ChannelMessage(
                channel="review",
                external_id=external_id,
                identities=[
                    IdentityRef(
                        IdentityKind.SOCIAL, author.split()[0].lower(), "google"
                    )
                ],
                name=author,
                text=f"{title}\n\n{text}",
                subject=f"google {'★' * rating}{'☆' * (5 - rating)}",
            ),
            platform="google",
            rating=rating,
            url="https://maps.example/reviews/" + external_id,
            author_name=author,
        )
        if draft and agent is not None:
            review_reply_draft_save(actor=agent, review=review, text=draft)
        added += 1
    first = "<demo-thread-1@exemple.fr>"
    for raw in (
        _email(
            "Facture en double",
            "Bonjour,\n\nJ'ai été débitée deux fois pour la commande CMD-DEMO-1.\n\n"
            "Merci de me rembourser le doublon.\nJuliette",
            first,
        ),
        _email(
            "Re: Facture en double",
            "Je joins mon relevé dès ce soir.\n\nLe 2 déc. 2026 à 09:12, Service "
            "client a écrit :\n> Bonjour Madame, nous vérifions.",
            "<demo-thread-2@exemple.fr>",
            reply_to=first,
        ),
        b"\x00\x01 a message that is not an email (quarantined in the demo)",
    ):
        added += not email_ingest(raw=raw, source=InboundSource.COMMAND).is_duplicate
    return added
