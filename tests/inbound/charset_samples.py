"""Messages whose charset is missing or wrong, per major family of charsets, written
here (the bytes come from Python's own codecs): the fixtures of ``test_charsets.py``
and of ``scripts/charset_measure.py``.

Each family has a long text (a real request: subject and a few lines) and a short one
(a three-word subject, a one-line body), each sent in each charset of the family:
undeclared (raw 8-bit subject, body without charset, or without Content-Type at all),
and mislabelled (the body's charset and the subject's RFC 2047 words name another
charset: iso-8859-1 for non-Latin text, utf-8 for windows-1252 text, and so on).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

FR_LONG = (
    "Colis reçu abîmé, remboursement demandé",
    "Bonjour,\n\nMa commande CMD-004512 est arrivée abîmée : le carton était déchiré"
    " et le vase cassé.\nJ’avais payé 49 € pour une livraison « express » – où en est"
    " le remboursement ? Ça fait déjà une semaine.\n\nBien à vous,\nÉlodie Lefèvre",
)
FR_SHORT = ("Commande pas reçue", "Toujours rien reçu, merci de vérifier.")
RU_LONG = (
    "Заказ не доставлен, прошу вернуть деньги",
    "Здравствуйте!\n\nМой заказ CMD-004512 так и не пришёл, хотя прошло уже две недели."
    "\nПрошу проверить доставку или вернуть деньги.\n\nС уважением,\nОльга Смирнова",
)
RU_SHORT = ("Где мой заказ", "Заказ не пришёл, помогите.")
ZH_LONG = (
    "订单未收到，请尽快处理",
    "您好，\n\n我的订单 CMD-004512 已经两个星期了还没有收到。\n请帮我查一下物流信息，"
    "或者直接退款。\n\n谢谢，\n王芳",
)
ZH_SHORT = ("订单 没有 收到", "请问我的包裹在哪里？")
JA_LONG = (
    "注文した商品が届きません",
    "お世話になっております。\n\n注文番号 CMD-004512 の商品がまだ届いていません。\n"
    "配送状況を確認していただけますでしょうか。\n\nよろしくお願いいたします。\n山田花子",
)
JA_SHORT = ("商品 未着 確認", "まだ届いていません。")
KO_LONG = (
    "주문한 상품이 도착하지 않았습니다",
    "안녕하세요.\n\n주문번호 CMD-004512 상품이 아직 도착하지 않았습니다.\n"
    "배송 상태를 확인해 주시거나 환불해 주세요.\n\n감사합니다.\n김민지",
)
KO_SHORT = ("주문 상품 미도착", "아직 받지 못했습니다.")

# family -> (texts, the charsets its mail comes in, the wrong label it gets)
FAMILIES: dict[str, tuple[list[tuple[str, str]], list[str], str]] = {
    "latin": ([FR_LONG, FR_SHORT], ["cp1252", "latin-1"], "utf-8"),
    "cyrillic": ([RU_LONG, RU_SHORT], ["koi8_r", "cp1251"], "iso-8859-1"),
    "chinese": ([ZH_LONG, ZH_SHORT], ["gb18030", "gbk"], "iso-8859-1"),
    "japanese": ([JA_LONG, JA_SHORT], ["shift_jis", "iso2022_jp"], "iso-8859-1"),
    "korean": ([KO_LONG, KO_SHORT], ["euc_kr"], "iso-8859-1"),
}
# wrong labels beyond the family's usual one
EXTRA_LABELS = {"koi8_r": ["big5", "windows-1251"], "cp1251": ["koi8-r"]}
MIME_NAMES = {"koi8_r": "koi8-r", "cp1251": "windows-1251", "shift_jis": "shift_jis"}
_LATIN1 = str.maketrans({"’": "'", "–": "-", "€": "EUR"})


@dataclass(frozen=True)
class Sample:
    family: str
    name: str
    raw: bytes
    subject: str
    body: str


def _message(subject: bytes, content_type: str, body: bytes, name: str) -> bytes:
    lines = [
        b"From: Client <client@exemple.fr>",
        b"To: Service client <support@amiable.localhost>",
        b"Subject: " + subject,
        b"Date: Tue, 01 Dec 2026 09:30:00 +0100",
        f"Message-ID: <{name}@charsets.exemple.fr>".encode(),
        b"MIME-Version: 1.0",
    ]
    if content_type:
        lines.append(f"Content-Type: {content_type}".encode())
    lines.append(b"Content-Transfer-Encoding: 8bit")
    return b"\r\n".join(lines) + b"\r\n\r\n" + body.replace(b"\n", b"\r\n") + b"\r\n"


def _encoded_word(text: str, codec: str, label: str) -> bytes:
    data = base64.b64encode(text.encode(codec)).decode()
    return f"=?{label}?B?{data}?=".encode()


def samples() -> list[Sample]:
    out: list[Sample] = []
    for family, (texts, codecs, wrong) in FAMILIES.items():
        for codec in codecs:
            for size, (subject, body) in zip(("long", "short"), texts, strict=True):
                if codec == "latin-1":  # no curly quotes, dashes or euro sign
                    body = body.translate(_LATIN1)
                raw_subject, raw_body = subject.encode(codec), body.encode(codec)
                stem = f"{family}-{codec}-{size}"
                variants = {
                    "undeclared": (raw_subject, "text/plain", raw_body),
                    "no-content-type": (raw_subject, "", raw_body),
                }
                for label in [wrong, *EXTRA_LABELS.get(codec, [])]:
                    if label == MIME_NAMES.get(codec, codec):
                        continue
                    variants[f"labelled-{label}"] = (
                        _encoded_word(subject, codec, label),
                        f"text/plain; charset={label}",
                        raw_body,
                    )
                    variants[f"raw-subject-labelled-{label}"] = (
                        raw_subject,
                        f"text/plain; charset={label}",
                        raw_body,
                    )
                for variant, (head, content_type, payload) in variants.items():
                    name = f"{stem}-{variant}"
                    out.append(
                        Sample(
                            family=family,
                            name=name,
                            raw=_message(head, content_type, payload, name),
                            subject=subject,
                            body=body,
                        )
                    )
    return out
