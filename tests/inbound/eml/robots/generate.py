# ruff: noqa: E501 (hand-written mail fixtures: one header per line reads best)
"""Writes the robots corpus (issue 17, classes 1, 2 and 8) and ``expected.json``.

Every message is written here by hand, modelled on what the software that sends
such mail writes (cloud mail services' notices, mail servers of several carriers in
French, German and English, mailing-list managers, feedback-loop reports) and on
what people write that looks like it (a parcel "delivery failed", a message relayed
by a group). Expected: ``status`` (what the ledger says), ``class`` (of the issue).

    .venv/bin/python tests/inbound/eml/robots/generate.py   # rewrite the corpus
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
FIXTURES: dict[str, tuple[bytes, dict[str, Any]]] = {}
SUPPORT = "Service client <support@amiable.localhost>"
# The Message-ID of the email we sent that complaints name (tests swap in a real one).
SENT_ID = "sent-by-us-arf@amiable.localhost"
COMPLAINER = "elodie.martin@exemple.fr"
DATE = "Tue, 01 Dec 2026 09:30:00 +0100"


def add(name: str, head: str, body: str, **expected: Any) -> None:
    lines = [line.strip() for line in head.strip().splitlines()]
    if not any(line.lower().startswith("date:") for line in lines):
        lines.append(f"Date: {DATE}")
    if not any(line.lower().startswith("message-id:") for line in lines):
        lines.append(f"Message-ID: <{name.removesuffix('.eml')}@robots.exemple>")
    if not any(line.lower().startswith("mime-version:") for line in lines):
        lines.append("MIME-Version: 1.0")
    if not any(line.lower().startswith("content-type:") for line in lines):
        lines.append("Content-Type: text/plain; charset=utf-8")
        lines.append("Content-Transfer-Encoding: 8bit")
    raw = "\n".join(lines) + "\n\n" + body.lstrip("\n")
    FIXTURES[name] = (raw.encode("utf-8"), expected)


def robot(name: str, head: str, body: str, status: str = "auto_reply") -> None:
    add(name, head, body, status=status, **{"class": 1})


ORIGINAL = f"""From: {SUPPORT}
To: Élodie Martin <{COMPLAINER}>
Subject: [C-2026-000042] Votre commande
Date: Mon, 30 Nov 2026 10:00:00 +0100
Message-ID: <{SENT_ID}>
Content-Type: text/plain; charset=utf-8

Bonjour, votre commande est partie ce matin.
"""

# Class 1: cloud mail services' no-reply and notification senders.
robot(
    "ses-sns-bounce-notice.eml",
    """From: AWS Notifications <no-reply@sns.amazonaws.com>
    To: support@amiable.localhost
    Subject: AWS Notification Message""",
    '{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"absent@ailleurs.exemple","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}]},"mail":{"source":"support@amiable.localhost","commonHeaders":{"messageId":"<'
    + SENT_ID
    + '>"}}}\n\n--\nIf you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\nhttps://sns.eu-west-1.amazonaws.com/unsubscribe.html\n',
    status="bounce",
)
robot(
    "ses-sns-transient-bounce-notice.eml",
    """From: AWS Notifications <no-reply@sns.amazonaws.com>
    To: support@amiable.localhost
    Subject: AWS Notification Message""",
    '{"notificationType":"Bounce","bounce":{"bounceType":"Transient","bouncedRecipients":[{"emailAddress":"plein@ailleurs.exemple"}]},"mail":{"source":"support@amiable.localhost"}}\n',
)
robot(
    "sendgrid-noreply-blocked.eml",
    """From: SendGrid <noreply@sendgrid.net>
    To: support@amiable.localhost
    Subject: Your email to absent@ailleurs.exemple was blocked""",
    "Hello,\n\nAn email you sent was blocked by the receiving server.\nReason: 550 5.7.1 Message rejected as spam\n",
    status="bounce",
)
robot(
    "mailgun-no-underscore-reply.eml",
    """From: Mailgun <no_reply@mailgun.net>
    To: support@amiable.localhost
    Subject: Your domain amiable.localhost: weekly report""",
    "Hi there,\n\nHere is your weekly sending report: 1,204 delivered, 3 failed.\n",
)
robot(
    "google-noreply-dash-dmarc.eml",
    """From: noreply-dmarc-support@google.com
    To: support@amiable.localhost
    Subject: Report domain: amiable.localhost Submitter: google.com Report-ID: 1234567890""",
    "This is an aggregate report from google.com.\n",
)
robot(
    "microsoft-exchange-undeliverable.eml",
    """From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@client.exemple>
    To: support@amiable.localhost
    Subject: Undeliverable: Votre commande""",
    "Delivery has failed to these recipients or groups:\n\nabsent@client.exemple\nThe email address you entered couldn't be found.\n",
    status="bounce",
)
robot(
    "donotreply-statement.eml",
    """From: Banque Exemple <DoNotReply@notifications.banque.exemple>
    To: support@amiable.localhost
    Subject: Votre relevé de compte est disponible""",
    "Bonjour,\n\nVotre relevé de compte de novembre est disponible dans votre espace.\n",
)
robot(
    "do-not-reply-dots.eml",
    """From: "Boutique Exemple" <do.not.reply@boutique.exemple>
    To: support@amiable.localhost
    Subject: Confirmation de votre inscription""",
    "Merci pour votre inscription.\n",
)
robot(
    "notifications-helpdesk.eml",
    """From: Outil de tickets <notifications@helpdesk.exemple>
    To: support@amiable.localhost
    Subject: Nouveau commentaire sur le ticket 1234""",
    "Un nouveau commentaire a été ajouté au ticket 1234.\n",
)
robot(
    "ne-pas-repondre-underscores.eml",
    """From: =?utf-8?q?Transporteur?= <Ne_Pas_Repondre@transporteur.exemple>
    To: support@amiable.localhost
    Subject: Votre colis est en cours de livraison""",
    "Votre colis 6A123456789 est en cours de livraison.\n",
)
# Class 1: mail servers under other spellings.
robot(
    "post-master-underscore.eml",
    """From: Post Master <post_master@mx.exemple.net>
    To: support@amiable.localhost
    Subject: Message undeliverable""",
    "The message you sent could not be delivered.\n",
    status="bounce",
)
robot(
    "mailer-daemon-underscore.eml",
    """From: mailer_daemon@relay.exemple.net
    To: support@amiable.localhost
    Subject: Notification""",
    "Your message was not delivered to absent@ailleurs.exemple.\n",
    status="bounce",
)
robot(
    "postmaster-no-domain-comment.eml",
    """From: MAILER-DAEMON (Mail Delivery System)
    To: support@amiable.localhost
    Subject: Echec de distribution""",
    "Le message suivant n'a pas pu être remis.\n",
    status="bounce",
)
# Class 1: mailing-list managers' error replies and notices.
robot(
    "mailman-owner-moderation.eml",
    """From: support-clients-owner@lists.exemple.org
    To: support@amiable.localhost
    Subject: Your message to Support-clients awaits moderator approval""",
    "Your mail to 'Support-clients' with the subject\n\n    Votre commande\n\nIs being held until the list moderator can review it for approval.\n\nThe reason it is being held:\n\n    Post by non-member to a members-only list\n",
)
robot(
    "mailman-request-results.eml",
    """From: support-clients-request@lists.exemple.org
    To: support@amiable.localhost
    Subject: The results of your email commands""",
    "The results of your email command are provided below.\n\n- Unprocessed:\n    Bonjour\n",
)
robot(
    "mailman-bounces-uncaught.eml",
    """From: support-clients-bounces@lists.exemple.org
    To: support@amiable.localhost
    Subject: Uncaught bounce notification""",
    "The attached message was received as a bounce, but either the bounce format was not recognized, or no member addresses could be extracted from it.\n",
)
robot(
    "sympa-rejected-fr.eml",
    """From: SYMPA <sympa@listes.exemple.fr>
    To: support@amiable.localhost
    Subject: Message rejeté""",
    "Votre message pour la liste « clients » a été rejeté : vous n'êtes pas abonné.\n",
)
robot(
    "listserv-rejected.eml",
    """From: "L-Soft list server at LISTS.EXEMPLE.EDU (17.0)" <LISTSERV@LISTS.EXEMPLE.EDU>
    To: support@amiable.localhost
    Subject: Message ("SUPPORT-L") rejected""",
    "You are not authorized to send mail to the SUPPORT-L list.\n",
)
robot(
    "majordomo-owner-prefix.eml",
    """From: owner-clients@lists.exemple.com
    To: support@amiable.localhost
    Subject: BOUNCE clients@lists.exemple.com: Non-member submission from [support@amiable.localhost]""",
    "Non-member submission.\n",
)
robot(
    "ezmlm-help-confirm.eml",
    """From: clients-help@lists.exemple.net
    To: support@amiable.localhost
    Mailing-List: contact clients-help@lists.exemple.net; run by ezmlm
    List-Id: <clients.lists.exemple.net>
    Subject: confirm subscribe to clients@lists.exemple.net""",
    "Hi! This is the ezmlm program. To confirm that you would like support@amiable.localhost added to the clients mailing list, please send a reply.\n",
)
# Class 1: carriers' delivery reports (French, German, English).
robot(
    "carrier-orange-ne-pas-repondre.eml",
    """From: Orange Messagerie <ne-pas-repondre@orange.exemple>
    To: support@amiable.localhost
    Subject: Message non délivré : Votre commande""",
    "Votre message n'a pas pu être délivré à son destinataire : adresse e-mail inconnue.\n",
    status="bounce",
)
robot(
    "carrier-laposte-avis-non-remise.eml",
    """From: Service de messagerie <delivery-status@laposte.exemple>
    To: support@amiable.localhost
    Subject: Avis de non-remise""",
    "Le serveur de messagerie du destinataire a refusé votre message.\n",
    status="bounce",
)
robot(
    "carrier-free-systeme-distribution.eml",
    """From: Système de distribution du courrier <admin@smtp.free.exemple>
    To: support@amiable.localhost
    Subject: Rapport de non-remise""",
    "Votre courriel n'a pas pu être distribué.\n",
    status="bounce",
)
robot(
    "carrier-sfr-echec-envoi.eml",
    """From: SFR Mail <mail-delivery@sfr.exemple>
    To: support@amiable.localhost
    Subject: Échec lors de l'envoi de votre message""",
    "Votre message à absent@sfr.exemple n'a pas pu être remis : boîte pleine.\n",
    status="bounce",
)
robot(
    "carrier-gmx-zustellung-de.eml",
    """From: Mail Delivery System <mailer-daemon@gmx.exemple>
    To: support@amiable.localhost
    Subject: Benachrichtigung zum Übermittlungsstatus (Fehlgeschlagen)""",
    "Ihre Nachricht konnte nicht zugestellt werden.\nZustellung an folgende Empfänger fehlgeschlagen: absent@gmx.exemple\n",
    status="bounce",
)
robot(
    "carrier-webde-zustellsystem.eml",
    """From: WEB.DE Mail-Zustellsystem <system@web.exemple>
    To: support@amiable.localhost
    Subject: Unzustellbar: Ihre Bestellung""",
    "Die E-Mail konnte nicht zugestellt werden.\n",
    status="bounce",
)
robot(
    "carrier-yahoo-failure-notice.eml",
    """From: MAILER-DAEMON@yahoo.exemple
    To: support@amiable.localhost
    Subject: Failure Notice""",
    "Sorry, we were unable to deliver your message to the following address.\n\n<absent@yahoo.exemple>:\n554: delivery error: dd This user doesn't have a yahoo.exemple account\n",
    status="bounce",
)

# Class 2 (and 1): complaints about our mail, never bounces, never cases.
ARF_HEAD = """From: {sender}
    To: support@amiable.localhost
    Subject: {subject}
    Content-Type: multipart/report; report-type=feedback-report; boundary="arf"
    """
ARF_BODY = """--arf
Content-Type: text/plain; charset=utf-8

This is an email abuse report for an email message received from IP 192.0.2.10.
The recipient marked this message as spam.

--arf
Content-Type: message/feedback-report

Feedback-Type: {feedback_type}
User-Agent: ExempleFBL/1.0
Version: 1
Original-Mail-From: <bounces@amiable.localhost>
{recipient_line}Arrival-Date: Mon, 30 Nov 2026 10:05:00 +0100
Source-IP: 192.0.2.10

--arf
Content-Type: {original_type}

{original}
--arf--
"""


def arf(
    name: str,
    *,
    sender: str,
    subject: str,
    feedback_type: str = "abuse",
    recipient_line: str = f"Original-Rcpt-To: <{COMPLAINER}>\n",
    original_type: str = "message/rfc822",
    original: str = ORIGINAL,
    head: str = ARF_HEAD,
) -> None:
    add(
        name,
        head.format(sender=sender, subject=subject),
        ARF_BODY.format(
            feedback_type=feedback_type,
            recipient_line=recipient_line,
            original_type=original_type,
            original=original,
        ),
        status="complaint",
        **{"class": 2},
    )


arf(
    "arf-abuse-standard.eml",
    sender="Feedback Loop <fbl@isp.exemple>",
    subject="Abuse report",
)
arf(
    "arf-yahoo-like-sender.eml",
    sender="Feedback <feedback@arf.mail.exemple>",
    subject="FW: [C-2026-000042] Votre commande",
)
arf(
    "arf-headers-only.eml",
    sender="scomp@mail.exemple",
    subject="Email Feedback Report for IP 192.0.2.10",
    original_type="text/rfc822-headers",
    original=ORIGINAL.split("\n\n")[0] + "\n",
)
arf(
    "arf-removal-recipient-no-rcpt.eml",
    sender="Postmaster <postmaster@isp.exemple>",
    subject="Complaint about message from 192.0.2.10",
    recipient_line=f"Removal-Recipient: {COMPLAINER}\n",
)
arf(
    "arf-person-like-sender.eml",
    sender="Jean Abuse <jean.abuse@isp.exemple>",
    subject="Spam report",
    feedback_type="fraud",
)
arf(
    "arf-missing-report-type.eml",
    sender="fbl@isp.exemple",
    subject="complaint",
    head=ARF_HEAD.replace(
        "multipart/report; report-type=feedback-report", "multipart/mixed"
    ),
)
add(
    "ses-sns-complaint-notice.eml",
    """From: AWS Notifications <no-reply@sns.amazonaws.com>
    To: support@amiable.localhost
    Subject: AWS Notification Message""",
    '{"notificationType":"Complaint","complaint":{"complainedRecipients":[{"emailAddress":"'
    + COMPLAINER
    + '"}],"complaintFeedbackType":"abuse","timestamp":"2026-11-30T10:06:00.000Z"},"mail":{"source":"support@amiable.localhost","commonHeaders":{"messageId":"<'
    + SENT_ID
    + '>","subject":"Votre commande"}}}\n',
    status="complaint",
    **{"class": 2},
)
add(
    "esp-text-marked-as-spam.eml",
    """From: Emailing <noreply@emailing.exemple>
    To: support@amiable.localhost
    Subject: A recipient marked your email as spam""",
    f"Hello,\n\n{COMPLAINER} marked your email « Votre commande » as spam. We will no longer send to this address.\n",
    status="complaint",
    **{"class": 2},
)


# People whose words look like a robot's: each opens a case (classes 1 and 8).
def person(name: str, head: str, body: str) -> None:
    add(name, head, body, status="opened", **{"class": 1})


person(
    "person-fr-echec-distribution-colis.eml",
    """From: Jeanne Roux <jeanne.roux@exemple.fr>
    To: support@amiable.localhost
    Subject: Échec de distribution de mon colis""",
    "Bonjour,\n\nLe suivi indique « échec de distribution, destinataire inconnu » alors que mon adresse est la bonne. Le colis n'a pas pu être remis hier, j'étais pourtant chez moi.\nJ'ai payé 550 euros, merci de me le renvoyer.\n\nJeanne\n",
)
person(
    "person-de-paket-unzustellbar.eml",
    """From: Jonas Weber <jonas.weber@beispiel.exemple>
    To: support@amiable.localhost
    Subject: Paket unzustellbar""",
    "Hallo,\n\nmein Paket konnte nicht zugestellt werden, Empfänger unbekannt, obwohl die Adresse stimmt. Postfach 12 34 ist richtig.\n\nGrüße\nJonas\n",
)
person(
    "person-en-delivery-failure-returned.eml",
    """From: Grace Lee <grace.lee@exemple.com>
    To: support@amiable.localhost
    Subject: Delivery failure - order 5.1.26""",
    "Hello,\n\nThe courier says delivery failed and the parcel was returned to sender. My parcel could not be delivered to my address, which is right.\n\nThanks\n",
)
person(
    "person-named-like-a-list.eml",
    """From: Paul Owner <paul.owner@exemple.fr>
    To: support@amiable.localhost
    Subject: Question sur la garantie""",
    "Bonjour, ma garantie couvre-t-elle l'écran ? Merci.\n",
)

# Class 8: a person's message relayed by a group is a person's; newsletters are not.
GOOGLE_FOOTER = '\n-- \nYou received this message because you are subscribed to the Google Groups "Support" group.\nTo unsubscribe from this group and stop receiving emails from it, send an email to support+unsubscribe@amiable.localhost.\n'


def relayed(name: str, head: str, body: str, status: str = "opened") -> None:
    add(name, head, body, status=status, **{"class": 8})


relayed(
    "group-google-support-relay.eml",
    """From: Marc Petit <marc.petit@exemple.fr>
    To: support@amiable.localhost
    Subject: Ma commande est arrivée cassée
    List-Id: <support.amiable.localhost>
    List-Post: <https://groups.google.com/a/amiable.localhost/group/support/post>, <mailto:support@amiable.localhost>
    List-Help: <https://support.google.com/a/amiable.localhost/bin/topic.py?topic=25838>, <mailto:support+help@amiable.localhost>
    List-Unsubscribe: <mailto:googlegroups-manage+123456+unsubscribe@googlegroups.com>, <https://groups.google.com/a/amiable.localhost/group/support/subscribe>
    Precedence: list
    Mailing-list: list support@amiable.localhost; contact support+owners@amiable.localhost
    X-Google-Group-Id: 123456789""",
    "Bonjour,\n\nMa commande est arrivée avec la vitre cassée. Que dois-je faire ?\n\nMarc\n"
    + GOOGLE_FOOTER,
)
relayed(
    "group-google-dmarc-rewrite.eml",
    """From: 'Claire Dubois' via Support <support@amiable.localhost>
    Reply-To: Claire Dubois <claire.dubois@exemple.fr>
    X-Original-Sender: claire.dubois@exemple.fr
    To: support@amiable.localhost
    Subject: Remboursement toujours pas reçu
    List-Id: <support.amiable.localhost>
    List-Post: <mailto:support@amiable.localhost>
    List-Unsubscribe: <mailto:googlegroups-manage+123456+unsubscribe@googlegroups.com>
    Precedence: list
    Mailing-list: list support@amiable.localhost; contact support+owners@amiable.localhost
    X-Google-Group-Id: 123456789""",
    "Bonjour,\n\nJ'attends toujours le remboursement promis il y a trois semaines.\n\nClaire\n\n-- \nVous avez reçu ce message, car vous êtes abonné au groupe « Support » de Google Groupes.\nPour vous désabonner de ce groupe et ne plus recevoir d'e-mails le concernant, envoyez un e-mail à l'adresse support+unsubscribe@amiable.localhost.\n",
)
relayed(
    "group-mailman-support-list.eml",
    """From: Ana Souza <ana.souza@exemple.com>
    To: support@lists.amiable.localhost
    Subject: Wrong size delivered
    List-Id: Support <support.lists.amiable.localhost>
    List-Post: <mailto:support@lists.amiable.localhost>
    List-Unsubscribe: <mailto:support-leave@lists.amiable.localhost>
    Precedence: list""",
    "Hello,\n\nI ordered a size M and received an XL. Can I exchange it?\n\nAna\n_______________________________________________\nSupport mailing list -- support@lists.amiable.localhost\nTo unsubscribe send an email to support-leave@lists.amiable.localhost\n",
)
relayed(
    "group-customer-team-cc.eml",
    """From: Lucie Martin <lucie.martin@client-pro.exemple>
    To: support@amiable.localhost
    Cc: achats@client-pro.exemple
    Subject: Facture manquante pour la commande 7781
    List-Id: <achats.client-pro.exemple>
    X-Google-Group-Id: 987654321
    List-Unsubscribe: <mailto:googlegroups-manage+987654321+unsubscribe@googlegroups.com>
    Precedence: list""",
    "Bonjour,\n\nPouvez-vous nous envoyer la facture de la commande 7781 ?\n\nLucie, service achats\n",
)
relayed(
    "group-list-id-only-person.eml",
    """From: Omar Haddad <omar.haddad@exemple.fr>
    To: support@amiable.localhost
    Subject: Retard de livraison
    List-Id: Service client <clients.amiable.localhost>""",
    "Bonjour, ma commande a une semaine de retard. Merci de regarder.\n",
)
relayed(
    "group-google-member-inbox.eml",
    """From: Inès Garcia <ines.garcia@exemple.fr>
    To: aide@amiable.localhost
    Subject: Article manquant dans mon colis
    List-Id: <aide.amiable.localhost>
    List-Unsubscribe: <mailto:googlegroups-manage+555+unsubscribe@googlegroups.com>
    Precedence: list
    Mailing-list: list aide@amiable.localhost; contact aide+owners@amiable.localhost
    X-Google-Group-Id: 555""",
    "Bonjour,\n\nIl manque la housse dans mon colis, commande 9912.\n\nInès\n",
)
relayed(
    "group-google-dmarc-rewrite-member-inbox.eml",
    """From: "'Hugo Lambert' via Aide" <aide@amiable.localhost>
    Reply-To: Hugo Lambert <hugo.lambert@exemple.fr>
    X-Original-Sender: hugo.lambert@exemple.fr
    To: aide@amiable.localhost
    Subject: Colis jamais arrivé
    List-Id: <aide.amiable.localhost>
    Precedence: list
    X-Google-Group-Id: 555""",
    "Bonjour, mon colis n'est jamais arrivé. Hugo\n",
)
relayed(
    "group-google-partner-domain.eml",
    """From: Nadia Benali <nadia.benali@exemple.fr>
    To: sav@partenaire.exemple
    Subject: Retour impossible
    List-Id: <sav.partenaire.exemple>
    List-Unsubscribe: <mailto:googlegroups-manage+777+unsubscribe@googlegroups.com>
    Precedence: list
    X-Google-Group-Id: 777""",
    "Bonjour, le formulaire de retour ne marche pas. Nadia\n",
)
relayed(
    "newsletter-one-click-unsubscribe.eml",
    """From: Boutique Exemple <news@boutique.exemple>
    To: support@amiable.localhost
    Subject: -30 % ce week-end seulement
    List-Id: <newsletter.boutique.exemple>
    List-Unsubscribe: <https://boutique.exemple/unsub?u=42>
    List-Unsubscribe-Post: List-Unsubscribe=One-Click""",
    "Profitez de -30 % sur tout le site ce week-end.\n",
    status="auto_reply",
)
relayed(
    "newsletter-list-unsubscribe-link.eml",
    """From: Le journal <lettre@journal.exemple>
    To: support@amiable.localhost
    Subject: La lettre du lundi
    List-Id: <lettre.journal.exemple>
    List-Unsubscribe: <mailto:unsubscribe@journal.exemple>""",
    "Les nouvelles de la semaine.\n\nPour vous désabonner, cliquez ici.\n",
    status="auto_reply",
)
relayed(
    "newsletter-announce-list-post-no.eml",
    """From: Annonces <annonces@editeur.exemple>
    To: support@amiable.localhost
    Subject: Nouvelle version disponible
    List-Id: <annonces.editeur.exemple>
    List-Post: NO""",
    "La version 4.2 est disponible.\n",
    status="auto_reply",
)
relayed(
    "newsletter-esp-mailer.eml",
    """From: Marque <contact@marque.exemple>
    To: support@amiable.localhost
    Subject: Nos nouveautés
    List-Id: <1234.list-id.mailer.exemple>
    X-Mailer: Sendinblue
    Feedback-ID: 42:1234:campaign:sendinblue""",
    "Découvrez nos nouveautés. Voir cet e-mail dans votre navigateur.\n",
    status="auto_reply",
)
relayed(
    "newsletter-public-discussion-list.eml",
    """From: Dev Person <dev.person@exemple.org>
    To: python-list@lists.exemple.org
    Subject: Question about asyncio
    List-Id: General discussion <python-list.lists.exemple.org>
    List-Post: <mailto:python-list@lists.exemple.org>
    List-Unsubscribe: <mailto:python-list-leave@lists.exemple.org>
    Precedence: list""",
    "Hi all, how do I cancel a task?\n",
    status="auto_reply",
)


def main() -> None:
    for path in HERE.glob("*.eml"):
        path.unlink()
    expected: dict[str, dict[str, Any]] = {}
    for name, (raw, facts) in sorted(FIXTURES.items()):
        (HERE / name).write_bytes(raw)
        expected[name] = facts
    (HERE / "expected.json").write_text(
        json.dumps(expected, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
