"""Which handlers hear which event. Filled at start-up by each app's ``handlers.py``
(imported from its ``AppConfig.ready``); read by the dispatcher."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from amiable.core.tasks import TaskFailure
from amiable.events.catalogue import Event

E = TypeVar("E", bound=Event)


@dataclass(frozen=True)
class Handler:
    name: str  # "module.function": stable, stored on each delivery
    event_name: str
    function: Callable[[Any], None]
    # A cheap test on the event alone: False when the handler would do nothing
    # with it, so no delivery task is enqueued for it.
    when: Callable[[Any], bool] | None = None
    # Told of each failed attempt (the event and the failure: attempt, error,
    # retry_at), so the domain can show a failure where users look.
    on_failure: Callable[[Any, TaskFailure], None] | None = None

    def wants(self, event: Event) -> bool:
        return self.when is None or self.when(event)


_HANDLERS: dict[str, dict[str, Handler]] = {}


def event_handler(
    event_type: type[E],
    *,
    when: Callable[[E], bool] | None = None,
    on_failure: Callable[[E, TaskFailure], None] | None = None,
) -> Callable[[Callable[[E], None]], Callable[[E], None]]:
    """Register the decorated function to handle every ``event_type`` event (only
    those ``when`` accepts, if given: a test on the event's fields alone, for a
    handler that ignores most events, so they cost no task). ``on_failure`` is
    called after each failed attempt, the last one included.

    The function runs in a task after the emitting transaction commits, inside a
    transaction of its own, at most once per event (see ``event_deliver``). It must
    call services only; raising makes the task retry with backoff.
    """

    def register(function: Callable[[E], None]) -> Callable[[E], None]:
        name = f"{function.__module__}.{function.__qualname__}"
        _HANDLERS.setdefault(event_type.name, {})[name] = Handler(
            name=name,
            event_name=event_type.name,
            function=function,
            when=when,
            on_failure=on_failure,
        )
        return function

    return register


def handlers_for(event_name: str) -> list[Handler]:
    return sorted(_HANDLERS.get(event_name, {}).values(), key=lambda h: h.name)


def handler_get(name: str) -> Handler | None:
    for handlers in _HANDLERS.values():
        if name in handlers:
            return handlers[name]
    return None


def handler_unregister(name: str) -> None:
    """Remove a handler (tests that register their own)."""
    for handlers in _HANDLERS.values():
        handlers.pop(name, None)
