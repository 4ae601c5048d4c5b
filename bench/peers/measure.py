"""The client side of the peer bench: the same operations on both products, one
request in flight, interleaved rounds; the ingestion rounds; the ratios."""

from __future__ import annotations

import json
import random
import re
import sqlite3
import statistics
import subprocess
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import requests

from bench.peers.servers import Server

AGENT = Path(__file__).resolve().with_name("agent.py")
MARK = "@@agent "
SEARCH_WORD = "remboursement"
DATATABLES = re.compile(r"datatables_ticket_list/([A-Za-z0-9_=-]+)")
WARM_UP = 6
OPERATIONS = ("api_create", "api_list", "detail", "inbox", "search")


class Agent:
    """A product's ``agent.py`` in its own interpreter, asked one command at a time."""

    def __init__(self, python: Path, product: str, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [str(python), str(AGENT), product],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )

    def ask(self, command: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        for line in self.process.stdout:
            if line.startswith(MARK):
                answer: dict[str, Any] = json.loads(line.removeprefix(MARK))
                if "error" in answer:
                    raise RuntimeError(f"agent: {answer['error']}")
                return answer
        raise RuntimeError("agent ended without answering")

    def __enter__(self) -> Agent:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()


@dataclass(frozen=True)
class Fixtures:
    """What both clients ask for: the same customers, cases and words."""

    customers: list[tuple[int, str]]
    cases: list[int]

    @classmethod
    def load(cls, ours: Path, seed: int) -> Fixtures:
        with sqlite3.connect(ours) as db:
            customers = db.execute(
                "SELECT customer_id, normalized FROM customers_identity "
                "WHERE kind = 'email' ORDER BY id LIMIT 2000"
            ).fetchall()
            (top,) = db.execute("SELECT max(id) FROM cases_case").fetchone()
        rng = random.Random(seed)  # noqa: S311 (benchmark data)
        return cls(
            customers=rng.sample(customers, min(400, len(customers))),
            cases=[rng.randrange(1, top + 1) for _ in range(400)],
        )


@dataclass
class Client:
    """One product seen from the client: its server, a signed-in HTTP session,
    and how it answers each operation."""

    server: Server
    session: requests.Session
    operations: dict[str, Callable[[int], int]]


def _session(agent: Agent) -> tuple[requests.Session, str]:
    facts = agent.ask({"cmd": "session"})
    session = requests.Session()
    session.cookies.set(facts["cookie"], facts["key"])
    session.cookies.set(facts["csrf_cookie"], facts["csrf"])
    return session, str(facts["csrf"])


def _ours(server: Server, agent: Agent, fixtures: Fixtures) -> Client:
    session, _csrf = _session(agent)
    token = agent.ask({"cmd": "token"})["token"]
    api = {"Authorization": f"Bearer {token}"}
    base = server.base

    def create(index: int) -> int:
        customer, _email = fixtures.customers[index % len(fixtures.customers)]
        response = requests.post(
            f"{base}/api/v1/cases",
            json={
                "customer_id": customer,
                "subject": f"Colis bench {index}",
                "kind": "complaint",
                "body_text": "Mon colis n'est jamais arrivé, merci de vérifier.",
            },
            headers={**api, "Idempotency-Key": uuid.uuid4().hex},
            timeout=600,
        )
        return _expect(response, 201)

    def listing(_index: int) -> int:
        response = requests.get(
            f"{base}/api/v1/cases?limit=25", headers=api, timeout=600
        )
        return _expect(response, 200)

    def detail(index: int) -> int:
        case = fixtures.cases[index % len(fixtures.cases)]
        return _expect(session.get(f"{base}/cases/{case}/", timeout=600), 200)

    def inbox(_index: int) -> int:
        return _expect(session.get(f"{base}/cases/", timeout=600), 200)

    def search(_index: int) -> int:
        return _expect(session.get(f"{base}/cases/?q={SEARCH_WORD}", timeout=600), 200)

    return Client(
        server,
        session,
        {
            "api_create": create,
            "api_list": listing,
            "detail": detail,
            "inbox": inbox,
            "search": search,
        },
    )


def _peer(server: Server, agent: Agent, fixtures: Fixtures) -> Client:
    session, csrf = _session(agent)
    base = server.base
    queue = _peer_queue(session, base)

    def create(index: int) -> int:
        _customer, email = fixtures.customers[index % len(fixtures.customers)]
        response = session.post(
            f"{base}/api/tickets/",
            json={
                "queue": queue,
                "title": f"Colis bench {index}",
                "description": "Mon colis n'est jamais arrivé, merci de vérifier.",
                "submitter_email": email,
                "priority": 3,
            },
            headers={"X-CSRFToken": csrf},
            timeout=600,
        )
        return _expect(response, 201)

    def listing(_index: int) -> int:
        return _expect(session.get(f"{base}/api/tickets/", timeout=600), 200)

    def detail(index: int) -> int:
        case = fixtures.cases[index % len(fixtures.cases)]
        return _expect(session.get(f"{base}/tickets/{case}/", timeout=600), 200)

    def page(query: str) -> int:
        """The list page, then the first 25 rows its table asks for (the peer's
        ticket list draws its rows from a second, JSON request)."""
        response = session.get(f"{base}/tickets/{query}", timeout=600)
        _expect(response, 200)
        found = DATATABLES.search(response.text)
        if found is None:
            raise RuntimeError("peer ticket list without its datatables URL")
        rows = session.get(
            f"{base}/datatables_ticket_list/{found.group(1)}?draw=1&start=0&length=25",
            timeout=600,
        )
        return _expect(rows, 200) + len(response.content)

    return Client(
        server,
        session,
        {
            "api_create": create,
            "api_list": listing,
            "detail": detail,
            "inbox": lambda _index: page(""),
            "search": lambda _index: page(f"?q={SEARCH_WORD}"),
        },
    )


def _peer_queue(session: requests.Session, base: str) -> int:
    """The peer's default queue, by the id its setup gave it (the last queue)."""
    response = session.get(f"{base}/api/tickets/?page_size=1", timeout=600)
    _expect(response, 200)
    first = response.json()["results"]
    if first:
        return int(first[0]["queue"])
    raise RuntimeError("peer database without tickets")


def _expect(response: requests.Response, status: int) -> int:
    if response.status_code != status:
        raise RuntimeError(
            f"{response.request.method} {response.url}: {response.status_code} "
            f"{response.text[:300]}"
        )
    return len(response.content)


def clients(
    ours: Server, peer: Server, ours_agent: Agent, peer_agent: Agent, fixtures: Fixtures
) -> dict[str, Client]:
    return {
        "ours": _ours(ours, ours_agent, fixtures),
        "peer": _peer(peer, peer_agent, fixtures),
    }


def _block(
    client: Client, operation: str, start: int, requests_: int, seconds: float
) -> dict[str, Any]:
    """Up to ``requests_`` requests (at least 2; stop after ``seconds``)."""
    call = client.operations[operation]
    times: list[float] = []
    cpu_before = client.server.cpu()
    began = time.perf_counter()
    for index in range(requests_):
        one = time.perf_counter()
        call(start + 1 + index)
        times.append(time.perf_counter() - one)
        if index >= 1 and time.perf_counter() - began > seconds:
            break
    cpu = client.server.cpu() - cpu_before
    client.server.sample_memory()
    return {"times": times, "cpu": cpu}


def http_rounds(
    clients_: dict[str, Client],
    *,
    rounds: int,
    requests_per_block: int,
    block_seconds: float,
) -> dict[str, Any]:
    """Each round runs every operation on both products, alternating which one
    goes first."""
    results: dict[str, dict[str, dict[str, Any]]] = {
        op: {name: {"times": [], "cpu": 0.0} for name in clients_} for op in OPERATIONS
    }
    order = list(clients_)
    for client in clients_.values():  # both workers of each server imported and warm
        for operation in OPERATIONS:
            for index in range(WARM_UP):
                began = time.perf_counter()
                client.operations[operation](index)
                if time.perf_counter() - began > block_seconds / 4:
                    break  # a slow operation: one call warmed what it needs
    for round_index in range(rounds):
        for operation in OPERATIONS:
            for name in order if round_index % 2 == 0 else order[::-1]:
                block = _block(
                    clients_[name],
                    operation,
                    round_index * 1000,
                    requests_per_block,
                    block_seconds,
                )
                results[operation][name]["times"] += block["times"]
                results[operation][name]["cpu"] += block["cpu"]
    summary: dict[str, Any] = {}
    for operation, by_product in results.items():
        summary[operation] = {}
        for name, seen in by_product.items():
            times = sorted(seen["times"])
            count = len(times)
            summary[operation][name] = {
                "requests": count,
                "p50_ms": round(statistics.median(times) * 1000, 1),
                "p95_ms": round(
                    times[int(count * 0.95) - 1 if count > 1 else 0] * 1000, 1
                ),
                "requests_per_second": round(count / sum(times), 2),
                "server_cpu_ms_per_request": round(seen["cpu"] * 1000 / count, 2),
            }
    return summary


def ingest_rounds(
    ours: Agent, peer: Agent, files: list[str], rounds: int
) -> dict[str, Any]:
    """The same files in ``rounds`` chunks, each chunk by ours then the peer (or the
    peer then ours, alternating), each product into its own populated database."""
    size = -(-len(files) // rounds)
    chunks = [files[index : index + size] for index in range(0, len(files), size)]
    names = ("ours", "peer")
    cpu = dict.fromkeys(names, 0.0)
    wall = dict.fromkeys(names, 0.0)
    outcomes: dict[str, dict[str, int]] = {name: {} for name in names}
    agents = {"ours": ours, "peer": peer}
    for index, chunk in enumerate(chunks):
        for name in names if index % 2 == 0 else names[::-1]:
            answer = agents[name].ask({"cmd": "ingest", "files": chunk})
            cpu[name] += answer["cpu"]
            wall[name] += answer["wall"]
            for key, value in answer["outcomes"].items():
                outcomes[name][key] = outcomes[name].get(key, 0) + value
    count = len(files)
    return {
        name: {
            "messages": count,
            "cpu_seconds": round(cpu[name], 2),
            "messages_per_cpu_second": round(count / cpu[name], 1),
            "messages_per_second": round(count / wall[name], 1),
            "outcomes": outcomes[name],
        }
        for name in names
    }


def ratios(report: dict[str, Any]) -> dict[str, float]:
    """Each operation as "how many times better ours is" (> 1: ours ahead)."""
    found: dict[str, float] = {}
    for operation, by_product in report.get("http", {}).items():
        ours, peer = by_product["ours"], by_product["peer"]
        found[f"{operation}: p50 latency, peer / ours"] = round(
            peer["p50_ms"] / ours["p50_ms"], 2
        )
        found[f"{operation}: server CPU per request, peer / ours"] = round(
            peer["server_cpu_ms_per_request"]
            / max(ours["server_cpu_ms_per_request"], 0.01),
            2,
        )
    ingestion = report.get("ingestion")
    if ingestion:
        found["ingestion: messages per CPU-second, ours / peer"] = round(
            ingestion["ours"]["messages_per_cpu_second"]
            / ingestion["peer"]["messages_per_cpu_second"],
            2,
        )
    memory = report.get("worker_memory_mib")
    if memory and memory["ours"] and memory["peer"]:
        for key in ("VmHWM", "Anonymous"):
            found[f"busiest worker {key} MiB, peer / ours"] = round(
                memory["peer"][key] / memory["ours"][key], 2
            )
    return found


def table(report: dict[str, Any]) -> str:
    lines = [f"size {report['size']}: ratio (higher = ours better)"]
    lines += [f"  {name:<60} {value:>8}" for name, value in report["ratios"].items()]
    return "\n".join(lines)
