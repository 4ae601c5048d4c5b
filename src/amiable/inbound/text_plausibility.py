"""How much a decoded text looks like mojibake: the yardstick that picks a charset
among candidates (``charsets``) and that finds mojibake in stored mail
(``corpus_check``).

``oddity`` adds penalties for what a wrong decoding produces and real prose does not:
control and unassigned characters, symbols among letters, a script changing inside a
word (« reГue »), letters of unrelated scripts in one text, case flipping inside a
word (« зДЕ »), runs of uncommon accented letters (« Çäðàâñòâóéòå »), rare Cyrillic
letters, ideographs outside the common sets of Chinese and Japanese, Hangul outside
the 2,350 syllables of KS X 1001, half-width katakana. Right text scores near 0;
the score is a sum (compare texts decoded from the same bytes).
"""

from __future__ import annotations

import math
import unicodedata
from functools import cache

from charset_normalizer.constant import FREQUENCIES

_PUNCTUATION = set(
    "«»“”‘’„–—…•€£¥°§©®™·¿¡\u00a0\u202f\u2009\u200b\ufeff"
    "、。「」『』（）！？：；，．〜・【】《》〈〉\u3000％＃＆＊＋－／＝＠～"
)
_COMMON_LATIN = set("éèêëàâäçîïôöûùüœæñáíóúßÿåøãõìò")
# Russian letter frequencies (percent), the usual tables
_RUSSIAN = dict(
    zip(
        "оеаинтсрвлкмдпуяызьбгчйхжшюцщэфъё",
        [10.97, 8.45, 8.01, 7.35, 6.70, 6.26, 5.47, 4.73, 4.54, 4.40, 3.49, 3.21, 2.98]
        + [2.81, 2.62, 2.01, 1.90, 1.65, 1.74, 1.59, 1.70, 1.44, 1.21, 0.97, 0.94]
        + [0.73, 0.64, 0.48, 0.36, 0.32, 0.26, 0.04, 0.5],  # ё: often written е
        strict=True,
    )
)
# the most frequent ideographs: Chinese and Japanese tables, traditional forms and
# the words of customer service
_HAN_FREQUENT = set(
    "".join(FREQUENCIES["Chinese"] + FREQUENCIES["Japanese"])
    + "這個們來為國說時會對於過發後裡與現當沒動麼學經種東門問題謝請訂貨單號碼收還"
    "订单货退款请问题谢您好号码送已经没递包裹件商品注文届確認送料返金様"
)
_COMPATIBLE = {frozenset({"HAN", "KANA"})}


@cache
def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    word = name.split(" ", 1)[0]
    if word == "CJK":
        return "HAN"
    if word in {"HIRAGANA", "KATAKANA"} or name.startswith("HALFWIDTH KATAKANA"):
        return "KANA"
    if name.startswith("FULLWIDTH LATIN"):
        return "LATIN"
    return word


@cache
def _table(
    codec: str, leads: tuple[int, int], trails: tuple[int, int]
) -> frozenset[str]:
    chars = set()
    for lead in range(leads[0], leads[1] + 1):
        for trail in range(trails[0], trails[1] + 1):
            try:
                chars.add(bytes([lead, trail]).decode(codec))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


@cache
def _common_han() -> frozenset[str]:
    """Level 1 of GB 2312, Big5 and JIS X 0208: the ideographs of everyday text."""
    return (
        _table("gb2312", (0xB0, 0xD7), (0xA1, 0xFE))
        | _table("big5", (0xA4, 0xC6), (0x40, 0x7E))
        | _table("big5", (0xA4, 0xC6), (0xA1, 0xFE))
        | _table("euc_jp", (0xB0, 0xCF), (0xA1, 0xFE))
    )


@cache
def _common_hangul() -> frozenset[str]:
    return _table("euc_kr", (0xB0, 0xC8), (0xA1, 0xFE))


@cache
def _letter_cost(char: str, script: str) -> float:
    if script == "LATIN":
        return 0.0 if char.isascii() or char.lower() in _COMMON_LATIN else 1.0
    if script == "CYRILLIC":
        frequency = _RUSSIAN.get(char.lower(), 0.02)
        return max(0.0, math.log2(2.5 / frequency)) * 0.5
    if script == "HAN":
        if char in _HAN_FREQUENT:
            return 0.0
        return 0.5 if char in _common_han() else 2.0
    if script == "HANGUL":
        return 0.0 if char in _common_hangul() else 2.0
    if script == "KANA":
        return 1.0 if "\uff61" <= char <= "\uff9f" else 0.0
    return 0.0


def oddity(text: str) -> float:
    """The penalties of ``text`` (0 for clean prose; higher is worse)."""
    cost = 0.0
    scripts: dict[str, int] = {}
    previous = ""  # the script of the previous letter within the current word
    lower_before = False
    word_foreign = word_ascii = 0
    for char in text + " ":
        if char.isascii() and not char.isalpha():
            if char < " " and char not in "\t\n\r\f":
                cost += 5
            previous, lower_before = "", False
            if word_foreign >= 3 and word_foreign > word_ascii:  # noqa: PLR2004
                cost += word_foreign  # « Çäðàâñòâóéòå »: not a Latin word
            word_foreign = word_ascii = 0
            continue
        category = unicodedata.category(char)
        if category[0] == "L":
            script = _script(char)
            scripts[script] = scripts.get(script, 0) + (not char.isascii())
            cost += _letter_cost(char, script)
            pair = frozenset({previous, script})
            if previous and previous != script and pair not in _COMPATIBLE:
                cost += 2
            if char.isupper() and lower_before:
                cost += 1.5
            lower_before = char.islower()
            previous = script
            if char.isascii():
                word_ascii += 1
            elif script == "LATIN":
                word_foreign += 1
            continue
        if category[0] == "M" or category == "Nd":
            continue
        if char in _PUNCTUATION or "\uff01" <= char <= "\uff5e":
            previous, lower_before = "", False
            continue
        cost += 5 if category in {"Cc", "Cn", "Co", "Cs"} or char == "\ufffd" else 2
        previous, lower_before = "", False
    return cost + _mixed_scripts(scripts)


def _mixed_scripts(scripts: dict[str, int]) -> float:
    """One point per non-ASCII letter outside the main script of the text."""
    counted = {name: count for name, count in scripts.items() if count}
    if len(counted) < 2:  # noqa: PLR2004
        return 0.0
    main = max(counted, key=lambda name: counted[name])
    return float(
        sum(
            count
            for name, count in counted.items()
            if name != main and frozenset({name, main}) not in _COMPATIBLE
        )
    )


_EAST_ASIAN = frozenset({"HAN", "KANA", "HANGUL"})


def script_breaks(text: str) -> int:
    """How many times the script changes inside a word between scripts that are
    never written together (« reГue »; not « iPhone手机 », not kana after kanji)."""
    breaks = 0
    previous, previous_ascii = "", False
    for char in text:
        if not char.isalpha():
            previous = ""
            continue
        script = _script(char)
        if previous and previous != script:
            pair = frozenset({previous, script})
            glued = (previous_ascii or char.isascii()) and pair & _EAST_ASIAN
            if pair not in _COMPATIBLE and not glued:
                breaks += 1
        previous, previous_ascii = script, char.isascii()
    return breaks


def stray_letters(text: str) -> int:
    """The non-ASCII letters outside the main script of ``text`` when they are at
    least a tenth of its non-ASCII letters (else 0)."""
    scripts: dict[str, int] = {}
    for char in text:
        if char.isalpha() and not char.isascii():
            script = _script(char)
            scripts[script] = scripts.get(script, 0) + 1
    stray = int(_mixed_scripts(scripts))
    return stray if stray * 10 >= sum(scripts.values()) else 0


def main_script(text: str) -> str:
    """The script of most of the non-ASCII letters of ``text`` ("" with fewer than
    two)."""
    scripts: dict[str, int] = {}
    for char in text:
        if char.isalpha() and not char.isascii():
            script = _script(char)
            scripts[script] = scripts.get(script, 0) + 1
    if sum(scripts.values()) < 2:  # noqa: PLR2004
        return ""
    return max(scripts, key=lambda name: scripts[name])


def scripts_unrelated(first: str, second: str) -> bool:
    """Whether two scripts are never those of one message (Cyrillic and Han, Latin
    and Hangul; not kanji and kana)."""
    return bool(first and second) and (
        first != second and frozenset({first, second}) not in _COMPATIBLE
    )
