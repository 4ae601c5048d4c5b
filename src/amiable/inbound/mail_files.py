"""Reading raw messages from disk: ``.eml`` files, directories of them, mbox files.

Each message keeps its exact bytes (an mbox message without its ``From `` line), so
what is imported is what an MTA would have handed us.
"""

from __future__ import annotations

import mailbox
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

MESSAGE_SUFFIXES = frozenset({".eml", ".msg"})
MBOX_SUFFIXES = frozenset({".mbox", ".mbx"})


@dataclass(frozen=True)
class MailFile:
    """One raw message and where it was read (``path``, or ``path#N`` in an mbox)."""

    label: str
    raw: bytes


def is_mbox(path: Path, head: bytes) -> bool:
    """An mbox by its name (when it starts like one: a single message saved as
    ``.mbox`` is still read), or a file of several ``From ``-separated messages."""
    if not head.startswith(b"From "):
        return False
    if path.suffix.lower() in MBOX_SUFFIXES or path.name.lower() == "mbox":
        return True
    return b"\n\nFrom " in head


def _read(path: Path) -> Iterator[MailFile]:
    """The messages of one file; raises OSError when it cannot be read."""
    data = path.read_bytes()
    if not is_mbox(path, data):
        yield MailFile(label=str(path), raw=data)
        return
    box = mailbox.mbox(path, create=False)
    try:
        for number, key in enumerate(box.iterkeys(), start=1):
            yield MailFile(label=f"{path}#{number}", raw=box.get_bytes(key))
    finally:
        box.close()


def mail_files_in(directory: Path) -> list[Path]:
    """The message and mbox files under ``directory``, in name order."""
    wanted = MESSAGE_SUFFIXES | MBOX_SUFFIXES
    return sorted(
        path
        for path in directory.rglob("*")
        if path.is_file() and (path.suffix.lower() in wanted or path.name == "mbox")
    )


def mail_files_read(paths: Iterable[Path]) -> Iterator[MailFile]:
    """Every message of ``paths`` (files of any name, directories walked for
    ``.eml``, ``.msg``, ``.mbox`` and ``.mbx`` files); raises OSError for a path
    that cannot be read."""
    for path in paths:
        if path.is_dir():
            for child in mail_files_in(path):
                yield from _read(child)
        else:
            yield from _read(path)
