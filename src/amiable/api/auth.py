"""Who is calling: a personal bearer token, or the web UI's session (with CSRF).

An ``Authorization`` header always means token authentication, so an API client with a
wrong token gets 401 rather than a confusing CSRF failure.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from amiable.accounts.models import User
from amiable.accounts.services import signin_failure_record, token_authenticate
from amiable.core.client_address import client_address
from amiable.core.errors import NotAuthenticatedError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_CACHE_ATTRIBUTE = "_amiable_token_user"


def _token_user(request: HttpRequest, token: str) -> User | None:
    """The token's user. A token has 256 random bits, so guessing one is hopeless
    and a valid one is never refused; but an unknown token counts as a failed
    sign-in of the client address, which a scanner soon gets locked out by."""
    user = token_authenticate(plaintext=token) if token else None
    if user is None:
        signin_failure_record(username="", address=client_address(request))
    return user


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer amb_<prefix>_<secret>`` (``amiable token create``)."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        # Cached per request: the idempotency layer asks before ninja does.
        if not hasattr(request, _CACHE_ATTRIBUTE):
            setattr(request, _CACHE_ATTRIBUTE, _token_user(request, token))
        cached: User | None = getattr(request, _CACHE_ATTRIBUTE)
        return cached


class SessionCsrfAuth(APIKeyCookie):
    """The logged-in web UI; unsafe methods must carry the CSRF token."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> User | None:
        if "Authorization" in request.headers:
            return None
        user = getattr(request, "user", None)
        if not isinstance(user, User) or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed")
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return None  # never called: __call__ does the whole job


bearer_auth = BearerTokenAuth()
session_auth = SessionCsrfAuth()
API_AUTH = [bearer_auth, session_auth]


def request_user(request: HttpRequest) -> User | None:
    """The authenticated caller, or None (errors such as CSRF also give None)."""
    for scheme in (bearer_auth, session_auth):
        try:
            user = scheme(request)
        except HttpError:
            return None
        if isinstance(user, User):
            return user
    return None


def actor_of(request: HttpRequest) -> User:
    """The user ninja authenticated for this operation."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise NotAuthenticatedError("Not authenticated.")
    return user
