"""Reply stripping measured (not a test): ``.venv/bin/python bench/replies.py``.

Reads the annotated replies of ``tests/inbound/replies/`` (written by the project;
format in its README) and, for the current extractor, the previous one (frozen in
``bench/replies_legacy.py``) and mail-parser-reply alone, counts what a reader sees:

- customer text kept: recall = customer lines (T, F) visible / customer lines,
  precision = customer lines visible / lines visible (blank lines not counted);
- fold rate = quoted, reply-header and signature lines (Q, H, S) folded / those lines;
- for the current extractor, the share of lines given exactly their annotated class.

A line is visible when it appears, in order, in the visible text the extractor
returns (the same yardstick for the three). Prints JSON; ``--misses`` also lists
the lines each extractor got wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REPLIES_DIR = ROOT / "tests" / "inbound" / "replies"
CUSTOMER = frozenset("TF")
FOLDED = frozenset("QHS")
CLASSES = frozenset("TFQHS")


@dataclass(frozen=True)
class AnnotatedReply:
    name: str
    language: str
    tags: tuple[str, ...]
    subject: str
    lines: tuple[str, ...]
    classes: str  # one of CLASSES per line

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class Score:
    customer: int = 0
    customer_visible: int = 0
    visible: int = 0
    foldable: int = 0
    folded: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.customer_visible / self.customer if self.customer else 1.0

    @property
    def precision(self) -> float:
        return self.customer_visible / self.visible if self.visible else 1.0

    @property
    def fold_rate(self) -> float:
        return self.folded / self.foldable if self.foldable else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "customer_lines": self.customer,
            "customer_lines_visible": self.customer_visible,
            "recall_customer_text_kept": round(self.recall, 4),
            "precision_customer_text_kept": round(self.precision, 4),
            "quoted_and_signature_lines": self.foldable,
            "folded": self.folded,
            "fold_rate": round(self.fold_rate, 4),
        }


def replies_read(directory: Path = REPLIES_DIR) -> list[AnnotatedReply]:
    """Every annotated reply of ``directory`` (files ``*.txt``), in file order."""
    replies: list[AnnotatedReply] = []
    for path in sorted(directory.glob("*.txt")):
        blocks: list[tuple[list[str], list[str]]] = []  # (header, lines)
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if raw.startswith("==="):
                blocks.append(([part.strip() for part in raw[3:].split("|")], []))
            elif not blocks and (raw.startswith("#") or not raw.strip()):
                continue
            elif not blocks or raw[:1] not in CLASSES or raw[1:2] != "|":
                raise ValueError(f"{path.name}:{number + 1}: bad line {raw!r}")
            else:
                blocks[-1][1].append(raw)
        for header, lines in blocks:
            replies.append(
                _reply(
                    header, [line[2:] for line in lines], [x[0] for x in lines], path
                )
            )
    return replies


def _reply(
    header: list[str], lines: list[str], classes: list[str], path: Path
) -> AnnotatedReply:
    if len(header) < 3 or header[1] not in {"fr", "en"} or not lines:
        raise ValueError(f"{path.name}: bad reply header {header!r}")
    return AnnotatedReply(
        name=header[0],
        language=header[1],
        tags=tuple(tag.strip() for tag in header[2].split(",") if tag.strip()),
        subject=header[3] if len(header) > 3 else "Re: Votre commande",
        lines=tuple(lines),
        classes="".join(classes),
    )


def lines_visible(lines: tuple[str, ...], visible_text: str) -> list[bool]:
    """For each of ``lines``, whether it appears in ``visible_text``, matching in
    order (a line repeated in the history is not counted twice)."""
    shown = [line.strip() for line in visible_text.splitlines()]
    cursor = 0
    flags: list[bool] = []
    for line in lines:
        target = line.strip()
        found = next((i for i in range(cursor, len(shown)) if shown[i] == target), None)
        if found is None or not target:
            flags.append(bool(found is not None))
            continue
        flags.append(True)
        cursor = found + 1
    return flags


def reply_score(reply: AnnotatedReply, visible_text: str, score: Score) -> None:
    """Add what ``visible_text`` shows of ``reply`` to ``score``."""
    for line, kind, shown in zip(
        reply.lines,
        reply.classes,
        lines_visible(reply.lines, visible_text),
        strict=True,
    ):
        if not line.strip():
            continue
        score.visible += shown
        if kind in CUSTOMER:
            score.customer += 1
            score.customer_visible += shown
            if not shown:
                score.misses.append(f"{reply.name}: hidden {kind}|{line}")
        else:
            score.foldable += 1
            score.folded += not shown
            if shown:
                score.misses.append(f"{reply.name}: shown {kind}|{line}")


Extractor = Callable[..., str]


def current_visible(*, subject: str, text: str) -> str:
    from amiable.inbound.quoting import reply_extract

    return reply_extract(text, subject=subject).text


def extractors() -> dict[str, Extractor]:
    from bench.replies_legacy import legacy_visible, library_visible

    return {
        "current": current_visible,
        "before": legacy_visible,
        "mail_parser_reply_alone": library_visible,
    }


def class_accuracy(replies: list[AnnotatedReply]) -> float:
    """Share of non-blank lines the current classifier gives their exact class."""
    from amiable.inbound.quoting import is_forwarded
    from amiable.inbound.reply_lines import lines_classify

    right = total = 0
    for reply in replies:
        forward = is_forwarded(subject=reply.subject, text=reply.text)
        kinds = lines_classify(reply.text, is_forward=forward)
        for line, expected, got in zip(reply.lines, reply.classes, kinds, strict=True):
            if line.strip():
                total += 1
                right += expected == got
    return right / total if total else 1.0


def replies_measure(*, with_misses: bool = False) -> dict[str, Any]:
    """The figures of every extractor over the whole set."""
    replies = replies_read()
    tags = Counter(tag for reply in replies for tag in reply.tags)
    results: dict[str, Any] = {
        "replies": len(replies),
        "by_language": dict(Counter(reply.language for reply in replies)),
        "by_tag": dict(sorted(tags.items())),
    }
    for name, extract in extractors().items():
        score = Score()
        for reply in replies:
            reply_score(reply, extract(subject=reply.subject, text=reply.text), score)
        results[name] = score.as_dict()
        if with_misses:
            results[name]["misses"] = score.misses
    results["current"]["exact_class_share"] = round(class_accuracy(replies), 4)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list wrong lines")
    options = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "src"))
    results = replies_measure(with_misses=options.misses)
    print(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
