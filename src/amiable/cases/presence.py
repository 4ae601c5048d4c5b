"""Who is on a case right now: heartbeats kept in Django's cache, never in the
database (Redis in production, so every web process sees them; the per-process
memory cache of a single-process installation otherwise).

A case page beats « viewing » on every live poll (every few seconds) and « typing »
while the agent types a reply. A beat is forgotten after ``VIEWING_SECONDS``
(« typing » after ``TYPING_SECONDS``), so a closed tab disappears on its own.

All the beats of one case live under one key: two agents beating at the same
instant may lose one beat (read, change, write), which the next beat, seconds
later, puts back; that is cheaper than a key per agent the page could not list.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.cache import cache

if TYPE_CHECKING:
    from amiable.accounts.models import User

VIEWING_SECONDS = 30
TYPING_SECONDS = 10


class PresenceState(StrEnum):
    VIEWING = "viewing"
    TYPING = "typing"


@dataclass(frozen=True)
class Presence:
    user_id: int
    first_name: str
    state: PresenceState


def _key(case_id: int) -> str:
    return f"cases:presence:{case_id}"


def _first_name(user: User) -> str:
    return user.first_name or user.display_name.split(" ")[0] or user.get_username()


def case_presence_beat(*, case_id: int, user: User, state: PresenceState) -> None:
    """Record that ``user`` is on the case (viewing it, or typing a reply)."""
    stamp = time.time()
    beats: dict[int, dict[str, Any]] = cache.get(_key(case_id)) or {}
    beats = {
        user_id: beat
        for user_id, beat in beats.items()
        if beat["seen"] > stamp - VIEWING_SECONDS
    }
    beat = beats.get(user.pk, {"typed": 0.0})
    beats[user.pk] = {
        "name": _first_name(user),
        "seen": stamp,
        "typed": stamp if state == PresenceState.TYPING else beat["typed"],
    }
    cache.set(_key(case_id), beats, timeout=VIEWING_SECONDS)


def case_presence_list(*, case_id: int, actor: User) -> list[Presence]:
    """The others on the case now, by first name (the actor is not listed)."""
    stamp = time.time()
    beats: dict[int, dict[str, Any]] = cache.get(_key(case_id)) or {}
    people = [
        Presence(
            user_id=user_id,
            first_name=beat["name"],
            state=PresenceState.TYPING
            if beat["typed"] > stamp - TYPING_SECONDS
            else PresenceState.VIEWING,
        )
        for user_id, beat in beats.items()
        if user_id != actor.pk and beat["seen"] > stamp - VIEWING_SECONDS
    ]
    return sorted(people, key=lambda person: (person.first_name, person.user_id))


def presence_signature(people: list[Presence]) -> str:
    """A short token of who is there doing what: the page sends it back when it
    polls, and gets nothing new while it holds."""
    text = ";".join(f"{person.user_id}:{person.state}" for person in people)
    return hashlib.blake2s(text.encode(), digest_size=6).hexdigest()
