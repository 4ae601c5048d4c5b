"""One product's side of the peer bench, run by that product's own interpreter.

``python bench/peers/agent.py ours|peer`` with the product's environment
(``DATABASE_URL`` for ours, ``PEER_DATABASE`` for django-helpdesk), then one JSON
command a line on standard input, one JSON answer a line on standard output:

- ``{"cmd": "setup", "teams": [...], "agents": [[username, team], ...]}`` (peer):
  the administrator, one queue per team plus a default one, the agents; answers
  the ids the bulk loader needs;
- ``{"cmd": "session"}``: a signed-in administrator session (cookie name and key)
  and a CSRF secret, as a browser would hold after signing in;
- ``{"cmd": "token"}`` (ours): an API token of the administrator;
- ``{"cmd": "ingest", "files": [...]}``: each ``.eml`` through the product's own
  mail-processing function, in this process; answers the CPU seconds spent.

It imports nothing of the bench package (django-helpdesk's environment does not
hold it): only the standard library, Django and the product.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
MARK = "@@agent "  # answers start with it; anything else a product prints is skipped


def _setup_django(product: str) -> None:
    if product == "ours":
        sys.path.insert(0, str(ROOT / "src"))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amiable.config.settings")
    else:
        sys.path.insert(0, str(ROOT / "bench" / "peers"))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer_site.settings")
    import django

    django.setup()


def _admin() -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="bench-admin")


def _session() -> dict[str, str]:
    from django.conf import settings
    from django.contrib.auth import login
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import RequestFactory

    engine = importlib.import_module(settings.SESSION_ENGINE)
    request = RequestFactory().get("/")
    request.session = engine.SessionStore()
    login(request, _admin(), backend="django.contrib.auth.backends.ModelBackend")
    request.session.save()
    return {
        "cookie": settings.SESSION_COOKIE_NAME,
        "key": str(request.session.session_key),
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "csrf": _get_new_csrf_string(),
    }


def _token() -> dict[str, str]:
    services = importlib.import_module("amiable.accounts.services")
    admin = _admin()
    issued = services.token_create(actor=admin, user=admin, name="peer bench")
    return {"token": issued.plaintext}


def _peer_setup(teams: list[str], agents: list[list[str]]) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    models = importlib.import_module("helpdesk.models")
    user_model = get_user_model()
    admin, _ = user_model.objects.get_or_create(
        username="bench-admin",
        defaults={"is_staff": True, "is_superuser": True, "email": "admin@exemple.fr"},
    )
    queues: dict[str, int] = {}
    for index, name in enumerate([*teams, "Support"]):
        queue, _ = models.Queue.objects.get_or_create(
            slug=f"q{index}",
            defaults={
                "title": name,
                "allow_email_submission": True,
                "email_address": "support@amiable.localhost",
            },
        )
        queues[name] = queue.pk
    users: dict[str, int] = {}
    for username, _team in agents:
        user, _ = user_model.objects.get_or_create(
            username=username, defaults={"is_staff": True}
        )
        users[username] = user.pk
    return {"admin": admin.pk, "queues": queues, "users": users}


def _ingest_ours(files: list[str]) -> dict[str, Any]:
    services = importlib.import_module("amiable.inbound.services")
    outcomes: dict[str, int] = {}
    raws = [Path(name).read_bytes() for name in files]
    wall, cpu = time.perf_counter(), time.process_time()
    for raw in raws:
        result = services.email_ingest(raw=raw, source="command")
        key = "duplicate" if result.is_duplicate else str(result.status)
        outcomes[key] = outcomes.get(key, 0) + 1
    return {
        "cpu": time.process_time() - cpu,
        "wall": time.perf_counter() - wall,
        "outcomes": outcomes,
    }


def _ingest_peer(files: list[str]) -> dict[str, Any]:
    """The body of django-helpdesk's local-mailbox loop (``process_queue``) for
    each file: read as text, ``extract_email_metadata`` into the default queue."""
    email = importlib.import_module("helpdesk.email")
    models = importlib.import_module("helpdesk.models")
    exceptions = importlib.import_module("helpdesk.exceptions")
    queue = models.Queue.objects.get(title="Support")
    logger = logging.getLogger("helpdesk.bench")
    texts = [Path(name).read_bytes().decode("utf-8", "replace") for name in files]
    outcomes: dict[str, int] = {}
    ignored = (
        exceptions.IgnoreTicketException,
        exceptions.DeleteIgnoredTicketException,
    )
    wall, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        try:
            ticket = email.extract_email_metadata(
                message=text, queue=queue, logger=logger
            )
        except ignored:
            key = "ignored"
        else:
            key = "processed" if ticket else "refused"
        outcomes[key] = outcomes.get(key, 0) + 1
    return {
        "cpu": time.process_time() - cpu,
        "wall": time.perf_counter() - wall,
        "outcomes": outcomes,
    }


def handle(product: str, command: dict[str, Any]) -> dict[str, Any]:
    name = command["cmd"]
    if name == "session":
        return _session()
    if name == "token":
        return _token()
    if name == "setup":
        return _peer_setup(command["teams"], command["agents"])
    if name == "ingest":
        ingest = _ingest_ours if product == "ours" else _ingest_peer
        return ingest(command["files"])
    if name == "pid":
        return {"pid": os.getpid()}
    raise ValueError(f"unknown command {name!r}")


def main() -> int:
    product = sys.argv[1]
    if product not in ("ours", "peer"):
        raise SystemExit("usage: agent.py ours|peer")
    _setup_django(product)
    if product == "ours":
        from django.conf import settings

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            answer = handle(product, json.loads(line))
        except Exception as exc:  # noqa: BLE001 (reported to the driver, which stops)
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(MARK + json.dumps(answer) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
