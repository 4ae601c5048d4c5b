"""A mixed load of N concurrent clients against several web hosts.

Each client is a thread with its own HTTP session, picking one operation at a time:
the inbox page, a case page, creating a case (API), replying (API), an e-mail
arriving through the signed inbound webhook. A client sends each request to a host
in turn; when the connection to a host fails (the host was lost), it counts that as
a killed connection and sends the same request to the next host: writes carry an
Idempotency-Key (cases, replies) or a Message-ID (e-mails), so a retry never makes
a second one. Any other failure (5xx, an unexpected 4xx, a wrong body) is an error.
"""

from __future__ import annotations

import random
import statistics
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import requests
from django.utils import timezone

from amiable.inbound.signing import signed_headers

OPERATIONS = (
    ("inbox", 30),
    ("case_page", 25),
    ("create", 15),
    ("reply", 15),
    ("ingest", 15),
)
EXPECTED = {"inbox": 200, "case_page": 200, "create": 201, "reply": 201}


@dataclass
class Target:
    hosts: list[str]
    token: str
    session_cookie: tuple[str, str]
    customer_ids: list[int]
    case_ids: list[int]
    hook_slug: str
    hook_secret: str


@dataclass
class Outcome:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    killed_connections: int = 0
    errors: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)  # idempotency keys
    replied: list[str] = field(default_factory=list)
    ingested: list[str] = field(default_factory=list)  # Message-IDs
    lock: threading.Lock = field(default_factory=threading.Lock)

    def summary(self, seconds: float) -> dict[str, Any]:
        every = sorted(x for values in self.latencies.values() for x in values)

        def pct(values: list[float], q: float) -> float:
            ordered = sorted(values)
            return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)

        return {
            "requests": len(every),
            "throughput_per_s": round(len(every) / seconds, 1),
            "p50_ms": pct(every, 0.5) if every else None,
            "p95_ms": pct(every, 0.95) if every else None,
            "by_operation": {
                name: {
                    "count": len(values),
                    "p50_ms": round(statistics.median(values), 1),
                    "p95_ms": pct(values, 0.95),
                }
                for name, values in sorted(self.latencies.items())
                if values
            },
            "killed_connections": self.killed_connections,
            "errors": len(self.errors),
        }


def _email(message_id: str) -> bytes:
    message = EmailMessage()
    message["From"] = f"Client {message_id[1:9]} <c.{message_id[1:9]}@exemple.fr>"
    message["To"] = "support@amiable.localhost"
    message["Subject"] = "Colis non reçu — commande n° " + message_id[1:7]
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = message_id
    message.set_content("Bonjour,\n\nJe n'ai pas reçu mon colis. Où en est-il ?\n")
    return message.as_bytes()


class Client:
    def __init__(self, target: Target, outcome: Outcome, seed: int) -> None:
        self.target = target
        self.outcome = outcome
        self.random = random.Random(seed)  # noqa: S311 (load mix, not secrets)
        self.http = requests.Session()
        self.http.cookies.set(*target.session_cookie)
        self.next_host = seed % len(target.hosts)

    def _send(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Send to one host after another until one answers (each failed connection
        is a killed one)."""
        for _attempt in range(len(self.target.hosts) * 2):
            host = self.target.hosts[self.next_host % len(self.target.hosts)]
            self.next_host += 1
            try:
                return self.http.request(
                    method, host + path, timeout=60, allow_redirects=False, **kwargs
                )
            except requests.ConnectionError:
                with self.outcome.lock:
                    self.outcome.killed_connections += 1
                self.http.close()
                time.sleep(0.05)
        raise requests.ConnectionError("no host answered")

    def _api(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.target.token}"}

    def run_one(self) -> None:
        names = [name for name, _weight in OPERATIONS]
        weights = [weight for _name, weight in OPERATIONS]
        operation = self.random.choices(names, weights)[0]
        started = time.perf_counter()
        record: tuple[str, str] | None = None
        if operation == "inbox":
            response = self._send("GET", "/cases/?view=all")
        elif operation == "case_page":
            case_id = self.random.choice(self.target.case_ids)
            response = self._send("GET", f"/cases/{case_id}/")
        elif operation == "create":
            key = f"create-{uuid.uuid4()}"
            response = self._send(
                "POST",
                "/api/v1/cases",
                json={
                    "customer_id": self.random.choice(self.target.customer_ids),
                    "subject": f"Retour produit {key}",
                    "body_text": "Le produit reçu est abîmé.",
                },
                headers={**self._api(), "Idempotency-Key": key},
            )
            record = ("created", key)
        elif operation == "reply":
            key = f"reply-{uuid.uuid4()}"
            case_id = self.random.choice(self.target.case_ids)
            response = self._send(
                "POST",
                f"/api/v1/cases/{case_id}/replies",
                json={"body_text": f"Nous regardons votre demande. {key}"},
                headers={**self._api(), "Idempotency-Key": key},
            )
            record = ("replied", key)
        else:
            message_id = f"<{uuid.uuid4().hex}@exemple.fr>"
            raw = _email(message_id)
            response = self._ingest(raw)
            record = ("ingested", message_id)
        elapsed = (time.perf_counter() - started) * 1000
        expected = EXPECTED.get(operation, 201)
        ok = response.status_code == expected or (
            operation == "ingest" and response.status_code == 200  # a retry
        )
        with self.outcome.lock:
            self.outcome.latencies[operation].append(elapsed)
            if not ok:
                self.outcome.errors.append(
                    f"{operation}: {response.status_code} {response.text[:300]}"
                )
            elif record is not None:
                getattr(self.outcome, record[0]).append(record[1])

    def _ingest(self, raw: bytes) -> requests.Response:
        # Each attempt signs with a new nonce (a nonce is accepted once); the
        # Message-ID makes the e-mail itself once.
        for _attempt in range(len(self.target.hosts) * 2):
            headers = signed_headers(
                secret=self.target.hook_secret, body=raw, nonce=uuid.uuid4().hex
            )
            try:
                return self._send_once(
                    "POST",
                    f"/api/v1/inbound/hooks/{self.target.hook_slug}/email",
                    data=raw,
                    headers={**headers, "Content-Type": "message/rfc822"},
                )
            except requests.ConnectionError:
                with self.outcome.lock:
                    self.outcome.killed_connections += 1
                self.http.close()
        raise requests.ConnectionError("no host answered")

    def _send_once(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        host = self.target.hosts[self.next_host % len(self.target.hosts)]
        self.next_host += 1
        return self.http.request(
            method, host + path, timeout=60, allow_redirects=False, **kwargs
        )


def warm_up(target: Target, *, per_host: int) -> None:
    """Load the application in every web worker before measuring (gunicorn's
    workers import Django on their first request)."""

    def hit(host: str) -> None:
        http = requests.Session()
        http.cookies.set(*target.session_cookie)
        for path in ("/cases/?view=all", f"/cases/{target.case_ids[0]}/"):
            response = http.get(host + path, timeout=120, allow_redirects=False)
            assert response.status_code == 200, (path, response.status_code)

    threads = [
        threading.Thread(target=hit, args=(host,), daemon=True)
        for host in target.hosts
        for _ in range(per_host)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)


def load_run(
    target: Target,
    *,
    clients: int,
    seconds: float,
    midway: Any = None,
) -> tuple[Outcome, float]:
    """Run ``clients`` threads for ``seconds``; call ``midway()`` at half time.
    Returns the outcome and the measured duration."""
    outcome = Outcome()
    deadline = time.monotonic() + seconds

    def loop(seed: int) -> None:
        client = Client(target, outcome, seed)
        while time.monotonic() < deadline:
            try:
                client.run_one()
            except Exception as exc:  # noqa: BLE001 (every failure is counted)
                with outcome.lock:
                    outcome.errors.append(f"{type(exc).__name__}: {exc}"[:300])

    threads = [
        threading.Thread(target=loop, args=(seed,), daemon=True)
        for seed in range(clients)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    if midway is not None:
        time.sleep(seconds / 2)
        midway()
    for thread in threads:
        thread.join(seconds + 120)
    return outcome, time.monotonic() - started
