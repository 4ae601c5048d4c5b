"""What the lines of a French or English e-mail reply look like: reply headers of the
main clients, forwarding markers, signature openers and signature lines.

Pure patterns, no decisions: ``reply_lines`` decides, on the whole message, which
line is the customer's, and when in doubt keeps it visible.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

# Gmail, Thunderbird, Apple Mail, K-9, Roundcube: « Le … a écrit : », "On … wrote:".
# The attribution may be wrapped over up to three lines (long names and addresses).
ATTRIBUTION_START = re.compile(r"^(?:Le|On|Am)\s\S", _I)
ATTRIBUTION_END = re.compile(r"(?:a\s+écrit|wrote|schrieb)\s*:\s*$", _I)
# A real attribution names a date, a time or an address; « Le livreur a écrit : »
# in the customer's own text does not.
ATTRIBUTION_EVIDENCE = re.compile(r"\d|@")
# Before an unquoted history (no « > » below) the attribution must carry a time or
# an address: « On 3 December I wrote: » followed by the customer's text is theirs.
ATTRIBUTION_STRONG = re.compile(r"\b\d{1,2}\s?[:h]\s?\d{2}\b|@")

# Outlook's header block: « De : … / Envoyé : … / À : … / Objet : … ».
OUTLOOK_FROM = re.compile(r"^\*?(?:De|From|Von)\s*\*?\s*:\s*\S", _I)
OUTLOOK_FIELD = re.compile(
    r"^\*?(?:Envoyé|Sent|Date|À|A|To|Cc|Cci|Bcc|Objet|Subject|Importance|"
    r"Répondre à|Reply-To)\s*\*?\s*:",
    _I,
)
OUTLOOK_SENT = re.compile(r"^\*?(?:Envoyé|Sent|Date)\s*\*?\s*:", _I)
OUTLOOK_SUBJECT = re.compile(r"^\*?(?:Objet|Subject)\s*\*?\s*:", _I)

# Separators opening the history without any other header.
HISTORY_SEPARATOR = re.compile(
    r"^\s*(?:-{2,}\s*(?:Message d'origine|Original Message|Message original"
    r"|Mensaje original)\s*-{2,}|_{20,}|-{20,})\s*$",
    _I,
)

FORWARD_MARKER = re.compile(
    r"^\s*(?:-{2,}\s*(?:Forwarded message|Forwarded Message|Message transféré"
    r"|Message transfere|Message réexpédié|Courriel transféré)\s*-{2,}"
    r"|Begin forwarded message\s*:"
    r"|Début du message (?:réexpédié|transféré)\s*:)\s*$",
    _I,
)
FORWARD_SUBJECT = re.compile(r"^\s*(?:fwd?|tr|transf)\s*:", _I)

# One-line signatures of mobile clients and webmails; « Envoyé de mon bureau, je vous
# rappelle » is a sentence: a device or an application must be named.
_DEVICE = (
    r"(?:iPhone|iPad|Android|mobile|smartphone|Galaxy|Samsung|BlackBerry|Outlook"
    r"|Yahoo|Gmail|Proton|appareil|téléphone|phone|portable|Huawei|Xiaomi|Mail"
    r"|Windows|tablette|tablet|Fairphone|Pixel|OnePlus|Orange|SFR|Free|AOL)"
)
MOBILE_SIGNATURE = re.compile(
    r"^\s*(?:"
    r"(?:Envoyé|Envoye|Sent|Expédié)\s+(?:de|depuis|à partir de|a partir de|from|with"
    r"|via|avec|using)\s+[^.,;:!?]{0,50}?" + _DEVICE + r"[^,;:!?]{0,40}"
    r"|(?:Get|Obtenir|Télécharger)\s+Outlook\s+(?:for|pour)\s+\S.{0,30}"
    r")\s*$",
    _I,
)
SIGNATURE_DASHES = re.compile(r"^(?:--|- -|—)\s*$")

# Closing formulas that open a « Cordialement, » block (the name and contact lines
# follow). « Merci » is not one: it is often the customer's last sentence.
CLOSING = re.compile(
    r"^\s*(?i:"
    r"(?:bien |très |trés |tres )?cordialement|cdlt|bien [àa] (?:vous|toi)"
    r"|(?:sincères |meilleures |bien sincères )?salutations(?: distinguées)?"
    r"|(?:bien )?amicalement|respectueusement"
    r"|(?:best|kind|warm|warmest|many thanks and best|thanks and|with kind)"
    r" regards|regards|best wishes|best|cheers|sincerely|yours sincerely"
    r"|yours truly|all the best|thanks and best|thank you and regards"
    r")\s*[,.!]?(?:\s+[A-ZÉÈ][\w.'’-]*(?:\s+[A-ZÉÈ][\w.'’-]*){0,2})?\s*$"
)

PHONE = re.compile(r"(?:\+\d[\d .()-]{7,}\d|\b0\d(?:[ .-]?\d\d){4}\b|\(\d{3}\)\s?\d)")
CONTACT = re.compile(
    r"(?:@|https?://|www\.|\b(?:tél|tel|mob|mobile|portable|fax|phone|ligne directe"
    r"|standard|siret|siren|rcs|tva|linkedin)\b|\b\d{5}\s+[A-ZÉ][\w-]+)",
    _I,
)
DISCLAIMER = re.compile(
    r"confidenti|disclaimer|destinataire|intended recipient|environnement|environment"
    r"|avant d'imprimer|before printing|ce message et|this e-?mail and",
    _I,
)
# A name opening a signature without « -- » nor closing: two to four capitalised words.
NAME = re.compile(
    r"^[A-ZÉÈÀÇ][\w'’.-]+(?:\s+(?:[A-ZÉÈÀÇ&][\w'’.-]*|de|du|von|van)){1,3}$"
)
CONTACT_STRONG = re.compile(r"@|https?://|www\.", _I)
LIST_ITEM = re.compile(r"^\s*(?:[-*•◦▪–+]\s+\S|\(?\d{1,3}[.)]\s+\S|[a-z][.)]\s+\S)")
POSTSCRIPT = re.compile(r"^\s*(?:P\.?\s?S\.?|N\.?B\.?)\s*[:.-]?\s", _I)
SENTENCE = re.compile(r"[.!?…:;]\s+\S")
# A line of the customer's own starting with « > »: a comparison (« > 50 € »).
# « > 50 € », « >30 jours », « > £50 »; not « > 2. Quelle date ? » (a quoted list).
OWN_COMPARISON = re.compile(
    r"^\s*>\s*=?\s*(?:[€$£]\s*\d|\d[\d\s,.]*\s*(?:€|\$|£|%|eur|euros?|gbp|usd"
    r"|jours?|days?|ans?|years?|semaines?|weeks?|mois|months?|h|heures?|hours?"
    r"|kg|g|cm|mm|m|km|articles?|items?|pièces?)(?!\w))",
    _I,
)
