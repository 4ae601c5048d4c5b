# ruff: noqa: E501, UP012 (hand-written mail fixtures: one message per line reads best)
"""Writes the .eml corpus of the inbound tests and ``expected.json`` beside it.

Each fixture is raw bytes written by hand (below) to reproduce what real mail does:
RFC 2047 headers, quoted-printable and base64, utf-8 / iso-8859-1 / windows-1252 and
mislabelled charsets, multipart/alternative and related, inline images, attachments,
HTML-only mail, forwarded messages, calendar invites, empty bodies, French and English
replies, automatic replies, bounces and unreadable messages.

    .venv/bin/python tests/inbound/eml/generate.py   # rewrite the corpus
"""

from __future__ import annotations

import base64
import json
import quopri
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
FIXTURES: dict[str, tuple[bytes, dict[str, Any]]] = {}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def add(name: str, raw: bytes, **expected: Any) -> None:
    expected.setdefault("status", "opened")
    FIXTURES[name] = (raw, expected)


def head(
    subject: bytes | str,
    *,
    sender: bytes | str = "Élodie Martin <elodie.martin@exemple.fr>",
    mid: str | None = "auto",
    extra: str = "",
    name: str = "",
) -> bytes:
    if isinstance(sender, str):
        from email.header import Header

        display, _lt, address = sender.partition(" <")
        sender = (
            f"{Header(display, 'utf-8').encode()} <{address}"
            if address and not display.isascii()
            else sender
        ).encode()
    if isinstance(subject, str):
        subject = subject.encode()
    message_id = f"<{name or 'x'}@corpus.exemple.fr>" if mid == "auto" else mid
    lines = [
        b"From: " + sender,
        b"To: Service client <support@amiable.localhost>",
        b"Subject: " + subject,
        b"Date: Tue, 01 Dec 2026 09:30:00 +0100",
        b"MIME-Version: 1.0",
    ]
    if message_id:
        lines.append(f"Message-ID: {message_id}".encode())
    if extra:
        lines += [line.encode() for line in extra.strip("\n").split("\n")]
    return b"\r\n".join(lines) + b"\r\n"


def text_part(body: bytes, charset: str = "utf-8", cte: str = "8bit") -> bytes:
    if cte == "quoted-printable":
        body = quopri.encodestring(body)
    elif cte == "base64":
        body = base64.encodebytes(body)
    ct = (
        f"Content-Type: text/plain; charset={charset}"
        if charset
        else "Content-Type: text/plain"
    )
    return f"{ct}\r\nContent-Transfer-Encoding: {cte}\r\n\r\n".encode() + body


def single(name: str, header: bytes | str, body: bytes, charset: str = "utf-8",
           cte: str = "8bit", **expected: Any) -> None:  # fmt: skip
    add(name, head(header, name=name) + text_part(body, charset, cte), **expected)


def multipart(kind: str, parts: list[bytes], boundary: str = "==b==") -> bytes:
    out = f'Content-Type: multipart/{kind}; boundary="{boundary}"\r\n\r\n'.encode()
    out += b"This is a multi-part message in MIME format.\r\n"
    for part in parts:
        out += f"--{boundary}\r\n".encode() + part + b"\r\n"
    return out + f"--{boundary}--\r\n".encode()


def html_part(
    html: str, charset: str = "utf-8", cte: str = "quoted-printable"
) -> bytes:
    body = html.encode(charset)
    if cte == "quoted-printable":
        body = quopri.encodestring(body)
    return (
        f"Content-Type: text/html; charset={charset}\r\n"
        f"Content-Transfer-Encoding: {cte}\r\n\r\n"
    ).encode() + body


def attachment(filename_header: str, content_type: str, content: bytes,
               disposition: str = "attachment", extra: str = "") -> bytes:  # fmt: skip
    return (
        f"Content-Type: {content_type}\r\nContent-Transfer-Encoding: base64\r\n"
        f"Content-Disposition: {disposition}; {filename_header}\r\n{extra}\r\n"
    ).encode() + base64.encodebytes(content)


FR = "Bonjour,\n\nMa commande CMD-004512 est arrivée abîmée : le carton était déchiré et le vase cassé.\nPouvez-vous m'envoyer un remplacement ?\n\nMerci d'avance,\nÉlodie"
EN = "Hello,\n\nMy order CMD-004513 arrived damaged: the box was torn and the vase broken.\nCould you send a replacement?\n\nThanks,\nJohn"

# --- 1. RFC 2047 headers --------------------------------------------------------------
single("rfc2047-q-utf8.eml", "=?utf-8?q?Colis_ab=C3=AEm=C3=A9_=C3=A0_la_livraison?=",
       FR.encode(), subject="Colis abîmé à la livraison", contains=["arrivée abîmée"])  # fmt: skip
single("rfc2047-b-utf8.eml", "=?UTF-8?B?UsOpY2xhbWF0aW9uIDogcmVtYm91cnNlbWVudCBkZW1hbmTDqQ==?=",
       FR.encode(), subject="Réclamation : remboursement demandé", contains=["vase cassé"])  # fmt: skip
single("rfc2047-q-latin1.eml", "=?iso-8859-1?q?Probl=E8me_de_facturation?=", FR.encode(),
       subject="Problème de facturation")  # fmt: skip
single("rfc2047-b-cp1252.eml", "=?windows-1252?B?" + base64.b64encode("“La commande – en retard ”".encode("cp1252")).decode() + "?=",
       FR.encode(), subject="“La commande – en retard ”")  # fmt: skip
single("rfc2047-split-words.eml",
       "=?utf-8?q?Demande_de_rembourse?=\r\n =?utf-8?q?ment_pour_la_commande_?=\r\n =?utf-8?q?n=C2=B0_4512?=",
       FR.encode(), subject="Demande de remboursement pour la commande n° 4512")  # fmt: skip
add("rfc2047-sender-name.eml",
    head("Question", sender="=?utf-8?q?Fran=C3=A7oise_L=C3=A9vesque?= <f.levesque@exemple.fr>",
         name="sender") + text_part("Bonjour, une question sur ma commande.".encode()),
    subject="Question", customer="Françoise Lévesque", sender="f.levesque@exemple.fr")  # fmt: skip
add("raw-8bit-utf8-subject.eml",
    head("Réclamation livraison été".encode(), name="raw8") + text_part(FR.encode()),
    subject="Réclamation livraison été")  # fmt: skip
add("raw-8bit-latin1-subject.eml",
    head("Réclamation livraison".encode("latin-1"), name="raw8l") + text_part(FR.encode("latin-1"), "iso-8859-1"),
    subject="Réclamation livraison", contains=["arrivée abîmée"])  # fmt: skip
single("rfc2047-unknown-charset.eml", "=?x-unknown?q?Commande_4512?=", EN.encode(),
       subject="Commande 4512", language="en", charset_note=False)  # fmt: skip
single("rfc2047-emoji.eml", "=?utf-8?b?TWVyY2kgcG91ciB2b3RyZSBhaWRlIPCfmIo=?=",
       "Merci beaucoup 😊 tout est réglé.".encode(), subject="Merci pour votre aide 😊",
       contains=["😊"])  # fmt: skip

# --- 2. transfer encodings -------------------------------------------------------------
single(
    "qp-utf8.eml",
    "Livraison",
    FR.encode(),
    cte="quoted-printable",
    contains=["déchiré"],
)
single("qp-latin1.eml", "Livraison", FR.encode("latin-1"), "iso-8859-1", "quoted-printable",
       contains=["déchiré", "Élodie"])  # fmt: skip
single(
    "base64-utf8.eml", "Livraison", FR.encode(), cte="base64", contains=["remplacement"]
)
single("base64-cp1252.eml", "Facture", "Le montant de 49,90 € est erroné – merci.".encode("cp1252"),
       "windows-1252", "base64", contains=["49,90 €", "erroné –"])  # fmt: skip
add("base64-broken-padding.eml",
    head("Pièce", name="b64broken") + b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\nQm9uam91ciwgbWVyY2k",
    subject="Pièce", contains=["Bonjour"])  # fmt: skip
add("qp-soft-breaks.eml",
    head("Long", name="qpsoft") + b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nCeci est une tr=C3=A8s longue ligne coup=C3=A9e par des sauts de ligne do=\r\nux du quoted-printable.\r\n",
    subject="Long", contains=["très longue ligne coupée par des sauts de ligne doux"])  # fmt: skip
add("lf-line-endings.eml",
    (head("Fins de ligne", name="lf") + text_part(FR.encode())).replace(b"\r\n", b"\n"),
    subject="Fins de ligne", contains=["vase cassé"])  # fmt: skip

# --- 3. charsets, right and wrong ---------------------------------------------------------
single("charset-latin1.eml", "Retour", "Je souhaite retourner l'article, il est trop étroit.".encode("latin-1"),
       "iso-8859-1", contains=["trop étroit"])  # fmt: skip
single("charset-cp1252-smart-quotes.eml", "Retour", "Vous m’aviez promis « sous 48 h » – c’est faux.".encode("cp1252"),
       "windows-1252", contains=["m’aviez promis « sous 48 h » – c’est faux"])  # fmt: skip
single("charset-latin1-labelled-cp1252-bytes.eml", "Retour", "Il m’a dit “demain”.".encode("cp1252"),
       "iso-8859-1", contains=["Il m’a dit “demain”."])  # fmt: skip
single("mislabelled-latin1-is-utf8.eml", "Retard", "Commande reçue très en retard.".encode(),
       "iso-8859-1", contains=["reçue très en retard"], charset_note=True)  # fmt: skip
single("mislabelled-utf8-is-latin1.eml", "Retard", "Commande reçue très en retard, déçue.".encode("latin-1"),
       "utf-8", contains=["reçue très en retard, déçue"], charset_note=True)  # fmt: skip
single("mislabelled-ascii-8bit.eml", "Retard", "Délai dépassé.".encode(), "us-ascii",
       contains=["Délai dépassé."], charset_note=True)  # fmt: skip
single("unknown-charset.eml", "Retard", "Où est mon colis ?".encode(), "x-mac-mystery",
       contains=["Où est mon colis ?"], charset_note=True)  # fmt: skip
single("no-charset-8bit.eml", "Retard", "Toujours pas livré.".encode("latin-1"), "",
       contains=["Toujours pas livré."], charset_note=True)  # fmt: skip
single("iso-2022-jp.eml", "=?iso-2022-jp?b?GyRCJDMkcyRLJEEkTxsoQg==?=", "注文はまだ届きません。".encode("iso-2022-jp"),
       "iso-2022-jp", "7bit", subject="こんにちは", contains=["注文はまだ届きません"])  # fmt: skip
single(
    "utf8-english.eml",
    "Refund request",
    EN.encode(),
    language="en",
    contains=["send a replacement"],
)

# --- 4. multipart structures ----------------------------------------------------------------
HTML_FR = "<html><head><style>p{color:red}</style><script>alert(1)</script></head><body><p>Bonjour,</p><p>Le produit ne <b>fonctionne</b> pas&nbsp;: il s&eacute;teint tout seul.</p><table><tr><td>Commande</td><td>CMD-77</td></tr></table></body></html>"
add("alternative-text-html.eml",
    head("Panne", name="alt") + multipart("alternative", [text_part("Bonjour, le produit ne fonctionne pas.".encode()), html_part(HTML_FR)]),
    subject="Panne", contains=["le produit ne fonctionne pas"], html=True)  # fmt: skip
add("html-only.eml",
    head("Panne", name="htmlonly") + html_part(HTML_FR),
    subject="Panne", contains=["fonctionne pas", "CMD-77"], not_contains=["alert(1)", "color:red", "<p>"])  # fmt: skip
add("html-only-latin1.eml",
    head("Panne", name="htmllatin") + html_part("<p>Le t&eacute;l&eacute;phone chauffe beaucoup, c'est dangereux.</p><p>Cordialement</p>", "iso-8859-1"),
    subject="Panne", contains=["Le téléphone chauffe beaucoup"], not_contains=["Cordialement"])  # fmt: skip
add("related-inline-image.eml",
    head("Photo du colis", name="related") + multipart("related", [
        html_part('<p>Voici la photo du carton :</p><img src="cid:photo1@exemple.fr">'),
        attachment('filename="photo.png"', "image/png", PNG, "inline", "Content-ID: <photo1@exemple.fr>"),
    ], boundary="rel"),
    subject="Photo du colis", contains=["Voici la photo du carton"], attachments=["photo.png"], inline=["photo.png"])  # fmt: skip
add("mixed-pdf-attachment.eml",
    head("Facture contestée", name="mixedpdf") + multipart("mixed", [
        text_part("Veuillez trouver ma facture en pièce jointe.".encode()),
        attachment('filename="facture.pdf"', "application/pdf", PDF),
    ]),
    subject="Facture contestée", attachments=["facture.pdf"])  # fmt: skip
add("attachment-rfc2231-name.eml",
    head("Réclamation", name="rfc2231") + multipart("mixed", [
        text_part("Ci-joint ma réclamation.".encode()),
        attachment("filename*=utf-8''R%C3%A9clamation%20%C3%A9t%C3%A9.pdf", "application/pdf", PDF),
    ]),
    subject="Réclamation", attachments=["Réclamation été.pdf"])  # fmt: skip
add("attachment-rfc2047-name.eml",
    head("Bon de retour", name="rfc2047name") + multipart("mixed", [
        text_part("Voici le bon de retour.".encode()),
        attachment('filename="=?utf-8?q?bon_de_retour_sign=C3=A9.pdf?="', "application/pdf", PDF),
    ]),
    subject="Bon de retour", attachments=["bon de retour signé.pdf"])  # fmt: skip
add("attachment-octet-stream-pdf.eml",
    head("Contrat", name="octet") + multipart("mixed", [
        text_part("Le contrat signé.".encode()),
        attachment('filename="contrat.pdf"', "application/octet-stream", PDF),
    ]),
    subject="Contrat", attachments=["contrat.pdf"])  # fmt: skip
add("attachment-executable-refused.eml",
    head("Facture urgente", name="exe") + multipart("mixed", [
        text_part("Ouvrez la facture.".encode()),
        attachment('filename="facture.exe"', "application/octet-stream", b"MZ\x90\x00" + b"\x00" * 64),
    ]),
    subject="Facture urgente", attachments=[], refused=["facture.exe"])  # fmt: skip
add("attachment-lying-type-refused.eml",
    head("Photo", name="lying") + multipart("mixed", [
        text_part("Une photo.".encode()),
        attachment('filename="photo.png"', "image/png", b"<script>not a png</script>"),
    ]),
    subject="Photo", attachments=[], refused=["photo.png"])  # fmt: skip
add("attachment-too-large-refused.eml",
    head("Vidéo", name="large") + multipart("mixed", [
        text_part("Voici la vidéo du déballage.".encode()),
        attachment('filename="deballage.pdf"', "application/pdf", PDF + b"0" * 300_000),
    ]),
    subject="Vidéo", attachments=[], refused=["deballage.pdf"])  # fmt: skip
add("nested-multipart.eml",
    head("Plusieurs photos", name="nested") + multipart("mixed", [
        multipart("alternative", [text_part("Voici les photos.".encode()), html_part("<p>Voici les photos.</p>")], boundary="alt2"),
        attachment('filename="a.png"', "image/png", PNG),
        attachment('filename="b.png"', "image/png", PNG),
    ]),
    subject="Plusieurs photos", contains=["Voici les photos."], attachments=["a.png", "b.png"])  # fmt: skip
add("attachment-without-name.eml",
    head("Document", name="noname") + multipart("mixed", [
        text_part("Le document.".encode()),
        b"Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64.encodebytes(PDF),
    ]),
    subject="Document", attachments=["attachment-1.pdf"])  # fmt: skip

# --- 5. forwarded messages and calendar invites ---------------------------------------------
add("forwarded-inline-fr.eml",
    head("TR: Votre commande est expédiée", name="fwdfr") + text_part(
        "Regardez, on m'avait promis une livraison lundi.\n\n-------- Message transféré --------\nSujet : Votre commande est expédiée\nDate : 20 nov. 2026\nDe : Boutique <noreply@boutique.fr>\n\nLivraison prévue lundi 23 novembre.".encode()),
    subject="TR: Votre commande est expédiée", contains=["promis une livraison lundi", "Livraison prévue lundi 23 novembre"], forwarded=True)  # fmt: skip
add("forwarded-inline-en.eml",
    head("Fwd: Your refund", name="fwden") + text_part(
        "See below, the refund never came.\n\n---------- Forwarded message ---------\nFrom: Shop <noreply@shop.example>\nDate: Mon, Nov 2, 2026\nSubject: Your refund\n\nYour refund of 49.90 EUR will arrive within 14 days.".encode()),
    subject="Fwd: Your refund", contains=["refund never came", "within 14 days"], forwarded=True, language="en")  # fmt: skip
add("forwarded-as-attachment.eml",
    head("Fwd: Confirmation", name="fwdatt") + multipart("mixed", [
        text_part("Je vous transfère la confirmation.".encode()),
        b"Content-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\nFrom: Boutique <noreply@boutique.fr>\r\nSubject: Confirmation de commande\r\nMessage-ID: <inner@boutique.fr>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nMerci pour votre commande.\r\n",
    ]),
    subject="Fwd: Confirmation", contains=["Je vous transfère"], forwarded=True, attachments=["Confirmation de commande.eml"])  # fmt: skip
ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Exemple//FR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:rdv-1@exemple.fr\r\nDTSTAMP:20261201T090000Z\r\nDTSTART:20261210T140000Z\r\nDTEND:20261210T143000Z\r\nSUMMARY:Rendez-vous technicien\r\nLOCATION:12 rue des Lilas, Lyon\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
add("calendar-invite.eml",
    head("Invitation : Rendez-vous technicien", name="ics") + multipart("mixed", [
        multipart("alternative", [text_part("Je propose ce créneau.".encode()), b"Content-Type: text/calendar; method=REQUEST; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + ICS], boundary="cal"),
        attachment('filename="invite.ics"', "text/calendar", ICS),
    ]),
    subject="Invitation : Rendez-vous technicien", contains=["Je propose ce créneau.", "Rendez-vous technicien", "2026-12-10T14:00:00"], attachments=["invite.ics"])  # fmt: skip

# --- 6. empty bodies -------------------------------------------------------------------------
add("empty-body.eml", head("Rappelez-moi", name="empty") + b"Content-Type: text/plain; charset=utf-8\r\n\r\n",
    subject="Rappelez-moi", empty=True)  # fmt: skip
add(
    "no-body-at-all.eml",
    head("Rappelez-moi vite", name="nobody"),
    subject="Rappelez-moi vite",
    empty=True,
)
add("attachment-only.eml",
    head("", name="attonly") + multipart("mixed", [attachment('filename="scan.pdf"', "application/pdf", PDF)]),
    subject="", attachments=["scan.pdf"], case_subject="(sans objet)", empty=True)  # fmt: skip
add("empty-multipart.eml", head("Vide", name="emptymp") + multipart("alternative", [text_part(b""), html_part("")]),
    subject="Vide", empty=True)  # fmt: skip


# --- 7. replies in French and English ---------------------------------------------------------
def reply(name: str, body: str, kept: str, cut: str, language: str = "fr") -> None:
    single(name, "Re: Votre commande", body.encode(), contains=[kept], not_contains=[cut],
           quoted=True, language=language, subject="Re: Votre commande")  # fmt: skip


reply(
    "reply-fr-gmail.eml",
    "Merci, c'est noté.\n\nLe mar. 1 déc. 2026 à 10:12, Service client <support@amiable.localhost> a écrit :\n> Bonjour Madame,\n> votre colis part demain.",
    "Merci, c'est noté.",
    "votre colis part demain",
)
reply(
    "reply-fr-apple.eml",
    "D'accord, j'attends.\n\n> Le 1 déc. 2026 à 10:12, Service client <support@amiable.localhost> a écrit :\n> \n> Bonjour, nous revenons vers vous.",
    "D'accord, j'attends.",
    "nous revenons vers vous",
)
reply(
    "reply-fr-outlook.eml",
    "Toujours rien reçu.\n\nDe : Service client <support@amiable.localhost>\nEnvoyé : mardi 1 décembre 2026 10:12\nÀ : Élodie Martin\nObjet : RE: Votre commande\n\nBonjour, le colis est en route.",
    "Toujours rien reçu.",
    "le colis est en route",
)
reply(
    "reply-fr-message-origine.eml",
    "Je confirme mon adresse.\n\n-----Message d'origine-----\nDe : Service client\nObjet : Votre adresse\n\nPouvez-vous confirmer votre adresse ?",
    "Je confirme mon adresse.",
    "Pouvez-vous confirmer",
)
reply(
    "reply-fr-iphone-signature.eml",
    "Oui ça me va.\n\nEnvoyé de mon iPhone\n\nLe 1 déc. 2026 à 10:12, Service client a écrit :\n> Un avoir vous convient-il ?",
    "Oui ça me va.",
    "Un avoir vous convient",
)
reply(
    "reply-en-gmail.eml",
    "Thanks, that works.\n\nOn Tue, Dec 1, 2026 at 10:12 AM Customer service <support@amiable.localhost> wrote:\n> Hello,\n> we can offer a voucher.",
    "Thanks, that works.",
    "we can offer a voucher",
    "en",
)
reply(
    "reply-en-outlook.eml",
    "Still nothing.\n\nFrom: Customer service <support@amiable.localhost>\nSent: Tuesday, December 1, 2026 10:12 AM\nTo: John Smith\nSubject: RE: Your order\n\nHello, the parcel is on its way.",
    "Still nothing.",
    "the parcel is on its way",
    "en",
)
reply(
    "reply-en-signature-dashes.eml",
    "Please call me back tomorrow.\n\n-- \nJohn Smith\n+44 20 7946 0958\n\nOn Tue, Dec 1, 2026, Support wrote:\n> Hello",
    "Please call me back tomorrow.",
    "+44 20 7946 0958",
    "en",
)
reply(
    "reply-fr-quoted-only-marker.eml",
    "Parfait, merci !\n\n> Bonjour,\n> votre remboursement est fait.\n> Cordialement",
    "Parfait, merci !",
    "votre remboursement est fait",
)
add("reply-fr-html-blockquote.eml",
    head("Re: Votre commande", name="htmlquote") + html_part('<div>Très bien, merci.</div><br><div class="gmail_quote">Le mar. 1 déc. 2026 à 10:12, Service client a écrit&nbsp;:<br><blockquote>Votre avoir est disponible.</blockquote></div>'),
    subject="Re: Votre commande", contains=["Très bien, merci."], not_contains=["Votre avoir est disponible"], quoted=True)  # fmt: skip

# --- 8. odd headers ---------------------------------------------------------------------------
add("no-message-id.eml", head("Sans identifiant", mid=None, name="nomid") + text_part(FR.encode()),
    subject="Sans identifiant", hash_key=True)  # fmt: skip
add("message-id-without-brackets.eml", head("Identifiant nu", mid="bare-id-123@exemple.fr", name="bare") + text_part(FR.encode()),
    subject="Identifiant nu", message_id="bare-id-123@exemple.fr")  # fmt: skip
add("no-date.eml", head("Sans date", name="nodate").replace(b"Date: Tue, 01 Dec 2026 09:30:00 +0100\r\n", b"") + text_part(FR.encode()),
    subject="Sans date")  # fmt: skip
add("garbage-date.eml", head("Date folle", name="baddate").replace(b"Tue, 01 Dec 2026 09:30:00 +0100", b"le 32 decembre a midi") + text_part(FR.encode()),
    subject="Date folle")  # fmt: skip
add("unknown-case-reference.eml", head("Re: [C-2019-999999] Mon dossier", name="unknownref") + text_part(FR.encode()),
    subject="Re: [C-2019-999999] Mon dossier")  # fmt: skip
add("very-long-line.eml", head("Ligne longue", name="longline") + text_part(("mot " * 5000).encode()),
    subject="Ligne longue", contains=["mot mot mot"])  # fmt: skip
add("display-name-with-comma.eml",
    head("Question", sender='"Martin, Élodie" <elodie.m@exemple.fr>'.encode(), name="comma") + text_part("Une question.".encode()),
    subject="Question", customer="Martin, Élodie", sender="elodie.m@exemple.fr")  # fmt: skip
add("uppercase-address.eml",
    head("Question", sender="Jean DUPONT <Jean.DUPONT@Exemple.FR>", name="upper") + text_part("Une question.".encode()),
    subject="Question", sender="jean.dupont@exemple.fr")  # fmt: skip

# --- 9. robots: automatic replies and bounces ----------------------------------------------------
add("auto-reply-exchange-fr.eml",
    head("Réponse automatique : Votre commande", name="oof1", extra="Auto-Submitted: auto-replied\nX-Auto-Response-Suppress: All") + text_part("Je suis absente du bureau jusqu'au 4 janvier.".encode()),
    status="auto_reply")  # fmt: skip
add("auto-reply-subject-en.eml",
    head("Automatic reply: Your order", name="oof2") + text_part("I am out of the office until Monday.".encode()),
    status="auto_reply")  # fmt: skip
add("auto-reply-x-autoreply.eml",
    head("Re: Votre commande", name="oof3", extra="X-Autoreply: yes") + text_part("Message bien reçu.".encode()),
    status="auto_reply")  # fmt: skip
add("newsletter-bulk.eml",
    head("Nos promotions de Noël", sender="Boutique <news@boutique.example>", name="news", extra="Precedence: bulk\nList-Unsubscribe: <mailto:unsub@boutique.example>") + html_part("<p>-20 % sur tout !</p>"),
    status="auto_reply")  # fmt: skip
DSN_PARTS = [
    text_part(
        b"This is the mail system at host mx.exemple.fr.\n\nYour message could not be delivered.",
        "us-ascii",
    ),
    b"Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.exemple.fr\r\n\r\nFinal-Recipient: rfc822; inconnu@exemple.fr\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 <inconnu@exemple.fr>: Recipient address rejected\r\n",
    b"Content-Type: text/rfc822-headers\r\n\r\nFrom: support@amiable.localhost\r\nTo: inconnu@exemple.fr\r\nMessage-ID: <never-sent@amiable.localhost>\r\nSubject: [C-2026-000001] Votre commande\r\n",
]
add("bounce-dsn.eml",
    head("Undelivered Mail Returned to Sender", sender="Mail Delivery System <MAILER-DAEMON@mx.exemple.fr>", name="dsn") + multipart("report; report-type=delivery-status", DSN_PARTS, boundary="rep"),
    status="bounce")  # fmt: skip
add("bounce-plain-qmail.eml",
    head("failure notice", sender="MAILER-DAEMON@mail.exemple.org", name="qmail") + text_part(b"Hi. This is the qmail-send program.\nI'm afraid I wasn't able to deliver your message.\n\n<nobody@exemple.org>:\n550 5.1.1 mailbox unavailable\n\n--- Below this line is a copy of the message.\n\nMessage-ID: <never-sent-2@amiable.localhost>\n", "us-ascii"),
    status="bounce")  # fmt: skip
add("bounce-exchange-fr.eml",
    head("Non remis : Votre dossier", sender="postmaster@exemple.fr", name="ndrfr") + text_part("Votre message n'a pas pu être remis. 550 5.4.1 Recipient address rejected: Access denied".encode()),
    status="bounce")  # fmt: skip
# Classes of failure found by real-world corpora (flufl.bounce, CPython, hyperkitty),
# each reproduced here in our own words.
add("bounce-mailer-daemon-unknown-subject.eml",
    head("Problème de distribution", sender="Mail Delivery Subsystem <MAILER-DAEMON@relais.exemple.net>", name="mdsubject") + text_part(b"Votre message n'a pas pu \xc3\xaatre remis \xc3\xa0 client@ailleurs.exemple.\n"),
    status="bounce")  # fmt: skip
add("bounce-null-from.eml",
    head("Delivery Failure", sender="Mail Delivery System <>", name="nullfrom", extra="Return-Path: <>") + text_part(b"Your message to absent@ailleurs.exemple could not be delivered.\n550 5.1.1 user unknown\n", "us-ascii"),
    status="bounce")  # fmt: skip
add("bounce-gateway-plain.eml",
    head("Delivery failure notification", sender="Passerelle antivirus <scanner@passerelle.exemple.net>", name="gateway") + text_part(b"Your message with Subject: Re: Votre commande\ncould not be delivered to the following recipients:\nabsent@ailleurs.exemple\n", "us-ascii"),
    status="bounce")  # fmt: skip
add("bounce-dsn-in-mixed-action-failure.eml",
    head("Votre message", sender="Relais <relais@relais.exemple.net>", name="mixeddsn") + multipart("mixed", [
        text_part(b"Le message n'a pas pu etre distribue.", "us-ascii"),
        b"Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; relais.exemple.net\r\n\r\nFinal-Recipient: rfc822; absent@ailleurs.exemple\r\nAction: failure\r\nStatus: 5.2.2\r\n",
        b"Content-Type: text/rfc822-headers\r\n\r\nFrom: support@amiable.localhost\r\nMessage-ID: <sent-by-us-9@amiable.localhost>\r\nSubject: Votre commande\r\n",
    ], boundary="mixeddsn"),
    status="bounce")  # fmt: skip
add("auto-reply-null-return-path.eml",
    head("Votre message a bien été reçu", sender="Accueil <accueil@exemple.com>", name="nullpath", extra="Return-Path: <>") + text_part("Nous avons bien reçu votre message et y répondrons sous 48 heures.".encode()),
    status="auto_reply")  # fmt: skip
add("person-parcel-delivery-failed.eml",
    head("Delivery failed", sender="Grace Hopper <grace.hopper@exemple.com>", name="parcelfail") + text_part(b"Hello,\n\nThe courier says the delivery of my order failed twice. Can you send it again?\n\nThanks", "us-ascii"),
    status="opened", language="en", subject="Delivery failed")  # fmt: skip
add("loop-from-ourselves.eml",
    head("Re: test", sender="Service client <support@amiable.localhost>", name="loop") + text_part(b"Loop"),
    status="loop")  # fmt: skip

# --- 10. unreadable: quarantined with a reason -------------------------------------------------
add("quarantine-empty-file.eml", b"", status="quarantined", reason="empty message")
add("quarantine-binary.eml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40, status="quarantined", reason="no email headers found")  # fmt: skip
add("quarantine-no-from.eml", b"To: support@amiable.localhost\r\nSubject: Sans expediteur\r\nMessage-ID: <nofrom@x>\r\n\r\nBonjour\r\n",
    status="quarantined", reason="no sender: the From header is missing")  # fmt: skip
add("quarantine-invalid-from.eml", head("Adresse invalide", sender="Jean <jean@@exemple..fr>", name="badfrom") + text_part(b"Bonjour"),
    status="quarantined")  # fmt: skip
add("quarantine-from-without-domain.eml", head("Sans domaine", sender="jean.dupont", name="nodomain") + text_part(b"Bonjour"),
    status="quarantined", reason="no valid sender address in From")  # fmt: skip


def main() -> None:
    for old in HERE.glob("*.eml"):
        old.unlink()
    expected = {}
    for name, (raw, expectation) in sorted(FIXTURES.items()):
        (HERE / name).write_bytes(raw)
        expected[name] = expectation
    (HERE / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    )
    print(f"{len(FIXTURES)} fixtures written")  # noqa: T201


if __name__ == "__main__":
    main()
