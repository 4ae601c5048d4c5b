"""Our catalogues win over Django's: a word Django's admin also translates reads on
our pages as we translated it."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation


def _our_french() -> dict[str, str]:
    entries: dict[str, str] = {}
    for locale_dir in settings.LOCALE_PATHS:
        po = Path(locale_dir) / "fr" / "LC_MESSAGES" / "django.po"
        for entry in polib.pofile(str(po)):
            if entry.msgstr and not entry.msgctxt and not entry.msgid_plural:
                entries.setdefault(entry.msgid, entry.msgstr)
    return entries


def test_every_catalogue_of_ours_is_looked_up_first() -> None:
    ours = sorted(Path(path).resolve() for path in settings.LOCALE_PATHS)
    on_disk = sorted(
        path.resolve()
        for path in [
            settings.PACKAGE_DIR / "locale",
            *settings.PACKAGE_DIR.glob("*/locale"),
        ]
        if path.is_dir()
    )

    assert ours == on_disk


@pytest.mark.parametrize("msgid", ["Change", "Save", "Filter", "Search", "Status"])
def test_a_word_django_also_translates_reads_as_ours(msgid: str) -> None:
    ours = _our_french()
    if msgid not in ours:
        pytest.fail(f"{msgid!r} is not in our French catalogues any more")

    with translation.override("fr"):
        shown = translation.gettext(msgid)

    assert shown == ours[msgid]
