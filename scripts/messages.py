"""Refresh or check the French and English message catalogues.

Apps created after the foundation keep their own catalogue in
``src/amiable/<app>/locale/`` (so parallel work never edits one shared file); the
foundation apps share ``src/amiable/locale/``. Entries carry the file they come from,
not the line, so moving code does not churn the catalogues.

    python scripts/messages.py update  # makemessages + compilemessages, all catalogues
    python scripts/messages.py check   # exit 1 when a catalogue is stale or incomplete

``check`` runs ``makemessages`` on a copy of the tree and fails when a message of the
code is missing from the committed catalogue, a French entry is untranslated or
fuzzy, or ``msgfmt --check-format`` refuses a catalogue. It needs GNU gettext
(``xgettext``, ``msgmerge``, ``msgfmt``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import polib

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "amiable"
LANGUAGES = ("fr", "en")
CATALOGUE = Path("LC_MESSAGES") / "django.po"


@dataclass(frozen=True)
class Catalogue:
    root: Path  # the directory makemessages runs in; its locale/ holds the files
    ignore: tuple[str, ...]

    def po(self, language: str) -> Path:
        return self.root / "locale" / language / CATALOGUE


def catalogues(package: Path) -> list[Catalogue]:
    """The shared catalogue of the foundation apps, then one per app that has one."""
    own = sorted(
        child
        for child in package.iterdir()
        if child.is_dir() and (child / "locale").is_dir()
    )
    shared = Catalogue(
        root=package,
        ignore=("*/tests/*", *(f"{app.name}/*" for app in own)),
    )
    return [shared, *(Catalogue(root=app, ignore=("tests/*",)) for app in own)]


def _django_admin() -> str:
    return str(Path(sys.executable).with_name("django-admin"))


def makemessages(catalogue: Catalogue) -> None:
    command = [
        _django_admin(),
        "makemessages",
        *(f"--locale={language}" for language in LANGUAGES),
        "--no-obsolete",
        "--add-location=file",
        *(f"--ignore={pattern}" for pattern in catalogue.ignore),
    ]
    subprocess.run(command, cwd=catalogue.root, check=True, stdout=subprocess.DEVNULL)


def update(package: Path) -> None:
    for catalogue in catalogues(package):
        for language in LANGUAGES:
            catalogue.po(language).parent.mkdir(parents=True, exist_ok=True)
        makemessages(catalogue)
    subprocess.run(
        [_django_admin(), "compilemessages"],
        cwd=package,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _ids(entries: polib.POFile) -> set[tuple[str, str]]:
    return {
        (entry.msgctxt or "", entry.msgid) for entry in entries if not entry.obsolete
    }


def problems(package: Path) -> list[str]:
    """Every way the committed catalogues differ from what the code needs."""
    found: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "amiable"
        shutil.copytree(package, copy, ignore=shutil.ignore_patterns("*.mo"))
        for committed, fresh in zip(catalogues(package), catalogues(copy), strict=True):
            makemessages(fresh)
            for language in LANGUAGES:
                path = committed.po(language).relative_to(package.parent.parent)
                if not committed.po(language).exists():
                    found.append(f"{path}: missing (run `make messages`)")
                    continue
                have = polib.pofile(str(committed.po(language)))
                need = polib.pofile(str(fresh.po(language)))
                for _context, msgid in sorted(_ids(need) - _ids(have)):
                    found.append(f"{path}: not in the catalogue: {msgid!r}")
                if language == "fr":
                    found.extend(_untranslated(path, have))
                found.extend(_format_errors(path, committed.po(language)))
    return found


def _format_errors(path: Path, po: Path) -> list[str]:
    """What msgfmt refuses (a placeholder of the msgid missing from its msgstr…)."""
    result = subprocess.run(  # noqa: S603 - fixed program, our own file
        ["msgfmt", "--check-format", "-o", "/dev/null", str(po)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    return [] if result.returncode == 0 else [f"{path}: {result.stderr.strip()}"]


def _untranslated(path: Path, catalogue: polib.POFile) -> list[str]:
    found = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            found.append(f"{path}: fuzzy: {entry.msgid!r}")
        elif entry.msgid_plural:
            if not all(entry.msgstr_plural.values()):
                found.append(f"{path}: plural not translated: {entry.msgid!r}")
        elif not entry.msgstr:
            found.append(f"{path}: not translated: {entry.msgid!r}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["update", "check"])
    action = parser.parse_args().action
    if action == "update":
        update(PACKAGE)
        return 0
    found = problems(PACKAGE)
    for line in found:
        print(line, file=sys.stderr)
    if found:
        print(
            f"{len(found)} catalogue problem(s): translate them, then `make messages`.",
            file=sys.stderr,
        )
        return 1
    print("catalogues complete (fr, en)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
