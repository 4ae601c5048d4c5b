# ruff: noqa: E501 (fixture texts: one message per line reads best)
"""Undeclared and mislabelled charsets read right, per family (``charset_samples``),
with the whole message as evidence; the mojibake detector of the corpus checker."""

from __future__ import annotations

import base64

import pytest

from amiable.conversations.models import Direction, Interaction
from amiable.inbound.charsets import decode_header_bytes, decode_text
from amiable.inbound.corpus_check import check_mojibake
from amiable.inbound.models import InboundEmail, InboundStatus
from amiable.inbound.mojibake import message_mojibake_signs, mojibake_signs
from amiable.inbound.parsing import email_parse
from amiable.inbound.services import email_ingest
from tests.inbound.charset_samples import FAMILIES, MIME_NAMES, Sample, samples

SAMPLES = {sample.name: sample for sample in samples()}
TEXTS = [
    (codec, text)
    for texts, codecs, _wrong in FAMILIES.values()
    for codec in codecs
    for pair in texts
    for text in pair
    if codec != "latin-1"
]


def test_every_family_has_undeclared_and_mislabelled_samples() -> None:
    for family in FAMILIES:
        names = [name for name, sample in SAMPLES.items() if sample.family == family]
        assert any("-short-undeclared" in name for name in names)
        assert any("-long-labelled-" in name for name in names)
        assert any("-short-raw-subject-labelled-" in name for name in names)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_subject_and_body_read_right(name: str) -> None:
    sample: Sample = SAMPLES[name]

    parsed = email_parse(sample.raw)

    assert parsed.subject == sample.subject
    assert parsed.text.strip() == sample.body.strip()
    assert not mojibake_signs(parsed.subject)
    assert not mojibake_signs(parsed.text)


@pytest.mark.parametrize(
    ("subject", "codec", "body"),
    [
        ("退款", "gb18030", "您好，我的订单还没有收到，请退款。"),
        ("急", "gb18030", "请问我的包裹在哪里？"),
        ("Да", "cp1251", "Заказ не пришёл, помогите, пожалуйста."),
    ],
)
def test_a_short_subject_is_read_with_the_body_as_evidence(
    subject: str, codec: str, body: str
) -> None:
    assert decode_header_bytes(subject.encode(codec)) != subject  # alone: too short
    raw = (
        b"From: Client <client@exemple.fr>\r\nTo: support@amiable.localhost\r\n"
        b"Subject: " + subject.encode(codec) + b"\r\nContent-Type: text/plain\r\n"
        b"\r\n" + body.encode(codec) + b"\r\n"
    )

    parsed = email_parse(raw)

    assert (parsed.subject, parsed.text.strip()) == (subject, body)


@pytest.mark.parametrize(("codec", "text"), TEXTS)
def test_a_right_label_is_kept(codec: str, text: str) -> None:
    label = MIME_NAMES.get(codec, codec)

    assert decode_text(text.encode(codec), label) == (text, "")


def test_a_mislabelled_body_says_what_it_was_decoded_as() -> None:
    sample = SAMPLES["cyrillic-koi8_r-long-labelled-iso-8859-1"]

    parsed = email_parse(sample.raw)

    assert parsed.notes == ["declared iso-8859-1, decoded as koi8_r"]


@pytest.mark.django_db
def test_an_undeclared_koi8_r_message_opens_a_readable_case() -> None:
    sample = SAMPLES["cyrillic-koi8_r-short-no-content-type"]

    result = email_ingest(raw=sample.raw, source="command")

    assert result.status == InboundStatus.OPENED
    inbound = Interaction.objects.select_related("case").get(
        direction=Direction.INBOUND
    )
    assert inbound.subject == "Где мой заказ"
    assert inbound.case is not None
    assert inbound.case.subject == "Где мой заказ"
    assert "Заказ не пришёл" in inbound.body_text
    assert check_mojibake([]) == 0


@pytest.mark.parametrize(("codec", "text"), TEXTS)
def test_the_detector_accepts_right_text(codec: str, text: str) -> None:
    assert mojibake_signs(text) == "", codec


@pytest.mark.parametrize(
    ("codec", "text"), [item for item in TEXTS if len(item[1]) > 20]
)
def test_the_detector_flags_text_read_with_another_charset(
    codec: str, text: str
) -> None:
    data = text.encode(codec)
    for wrong in ("cp1252", "cp1251", "koi8_r", "gb18030", "cp932", "cp949"):
        try:
            misread = data.decode(wrong)
        except UnicodeDecodeError:
            continue
        if misread != text:
            assert mojibake_signs(misread), (codec, wrong, misread)


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("RÃ©clamation : colis abÃ®mÃ©", "UTF-8 read as cp1252"),
        ("Commande re\ufffdue", "U+FFFD"),
        ("\x1b$BCmJ8\x1b(B", "control characters"),
        ("Commande reГue, dИlai dИpassИ", "mixing unrelated scripts"),
    ],
)
def test_the_detector_names_the_sign(text: str, sign: str) -> None:
    assert sign in mojibake_signs(text)


@pytest.mark.parametrize(
    ("subject", "body", "flagged"),
    [
        ("订单", "Заказ не пришёл, помогите.", True),
        ("Colis reçu abîmé", "주문한 상품이 아직 도착하지 않았습니다.", True),
        ("Заказ", "Заказ не пришёл, помогите.", False),
        ("注文の件", "まだ届いていません。", False),
        ("Re: Order 4512", "Заказ не пришёл, помогите.", False),
    ],
)
def test_a_subject_in_a_script_unrelated_to_the_body_is_flagged(
    subject: str, body: str, flagged: bool
) -> None:
    assert bool(message_mojibake_signs(subject, body)) is flagged


@pytest.mark.django_db
def test_the_corpus_check_counts_double_encoded_utf8() -> None:
    subject = "Réclamation été".encode().decode("cp1252")  # 'RÃ©clamation Ã©tÃ©'
    raw = (
        b"From: Client <client@exemple.fr>\r\nTo: support@amiable.localhost\r\n"
        b"Subject: =?utf-8?b?"
        + base64.b64encode(subject.encode())
        + b"?=\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        + "Colis reçu abîmé.".encode()
        + b"\r\n"
    )
    email_ingest(raw=raw, source="command")
    problems: list[str] = []

    found = check_mojibake(problems)

    assert found == 1
    assert InboundEmail.objects.get().subject == subject
    assert problems[0].startswith("mojibake in interaction ")
    assert "subject: UTF-8 read as cp1252" in problems[0]
    assert Interaction.objects.filter(direction=Direction.INBOUND).count() == 1


def _labelled(subject: str, body: str, codec: str, label: str) -> bytes:
    """A message in ``codec`` labelled ``label`` (RFC 2047 subject, body charset),
    or unlabelled (raw 8-bit subject, no charset) when ``label`` is empty."""
    if label:
        words = base64.b64encode(subject.encode(codec)).decode()
        head = f"=?{label}?B?{words}?=".encode()
        content_type = f"text/plain; charset={label}".encode()
    else:
        head, content_type = subject.encode(codec), b"text/plain"
    return (
        b"From: Client <client@exemple.fr>\r\nTo: support@amiable.localhost\r\n"
        b"Subject: "
        + head
        + b"\r\nContent-Type: "
        + content_type
        + b"\r\n\r\n"
        + body.encode(codec)
    )


@pytest.mark.parametrize(
    ("codec", "label", "subject", "body"),
    [
        (
            "cp950",
            "gb2312",
            "訂單查詢",
            "您好，我的訂單還沒有收到，請幫我查詢物流狀態，謝謝。",
        ),
        (
            "gb2312",
            "big5",
            "订单查询",
            "您好，我的订单还没有收到，请帮我查询物流状态，谢谢。",
        ),
        ("shift_jis", "euc-jp", "注文の件", "注文した商品がまだ届いていません。"),
        ("euc_jp", "shift_jis", "注文の件", "注文した商品がまだ届いていません。"),
        ("euc_kr", "gb2312", "주문 문의", "주문한 상품이 아직 도착하지 않았습니다."),
        ("cp1252", "koi8-r", "Colis abîmé", "Bonjour, le colis est arrivé abîmé."),
        (
            "cp1252",
            "windows-1251",
            "Colis abîmé",
            "Bonjour, le colis est arrivé abîmé.",
        ),
        ("cp1252", "gb2312", "Colis abîmé", "Bonjour, le colis est arrivé abîmé."),
    ],
)  # fmt: skip
def test_a_label_naming_another_charset_of_the_same_bytes_is_overruled(
    codec: str, label: str, subject: str, body: str
) -> None:
    parsed = email_parse(_labelled(subject, body, codec, label))

    assert (parsed.subject, parsed.text) == (subject, body)


# Texts the scorer was not tuned on (written after it): undeclared, whole message.
MORE = [
    ("cp1252", "Problème de livraison", "Le livreur a déposé le colis chez un voisin que je ne connais pas. Où dois-je m’adresser ?"),
    ("cp1252", "Reçu", "Merci, c’est réglé."),
    ("cp1252", "Lieferung beschädigt", "Guten Tag, die Lieferung kam beschädigt an. Bitte um Rückerstattung."),
    ("cp1252", "Pedido dañado", "Hola, el pedido llegó dañado. ¿Qué puedo hacer?"),
    ("koi8_r", "Возврат товара", "Добрый день! Хочу вернуть товар, он не подошёл по размеру."),
    ("cp1251", "Счёт", "Пришлите, пожалуйста, счёт на оплату."),
    ("koi8_r", "Спасибо", "Всё получил, спасибо!"),
    ("cp1251", "Жалоба на курьера", "Курьер опоздал на три часа и нагрубил мне по телефону."),
    ("gb18030", "退货申请", "你好，我想退货，衣服尺码太小了。"),
    ("gb18030", "投诉快递员", "快递员态度很差，还把包裹放在门外。"),
    ("shift_jis", "返品について", "サイズが合わなかったので返品したいです。"),
    ("iso2022_jp", "請求書", "請求書を送ってください。"),
    ("euc_kr", "반품 신청", "사이즈가 맞지 않아서 반품하고 싶습니다."),
    ("euc_kr", "감사합니다", "잘 받았습니다."),
]  # fmt: skip


@pytest.mark.parametrize(("codec", "subject", "body"), MORE)
def test_texts_not_tuned_on_read_right_undeclared(
    codec: str, subject: str, body: str
) -> None:
    parsed = email_parse(_labelled(subject, body, codec, ""))

    assert (parsed.subject, parsed.text) == (subject, body)
