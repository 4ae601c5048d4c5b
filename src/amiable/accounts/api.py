"""API of accounts: who am I, and my personal tokens."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from amiable.accounts.models import ApiToken, User
from amiable.accounts.schemas import MeOut, TokenOut
from amiable.accounts.selectors import token_list
from amiable.accounts.services import token_revoke
from amiable.api.auth import actor_of
from amiable.api.schemas import ERROR_RESPONSES, Id
from amiable.core.access import STAFF, TEAM, access
from amiable.core.errors import NotFoundError

router = Router()
ERRORS = ERROR_RESPONSES


@router.get("/me", response={200: MeOut, **ERRORS}, url_name="me")
@access(STAFF)
def me_api(request: HttpRequest) -> User:
    """The authenticated user."""
    return actor_of(request)


@router.get("/me/tokens", response={200: list[TokenOut], **ERRORS})
@access(STAFF)
def token_list_api(request: HttpRequest) -> list[ApiToken]:
    """My personal API tokens, newest first (secrets are never shown again)."""
    return list(token_list(actor=actor_of(request)))


@router.delete("/me/tokens/{token_id}", response={200: TokenOut, **ERRORS})
@access(TEAM)
def token_revoke_api(request: HttpRequest, token_id: Id) -> ApiToken:
    """Revoke one of my tokens (revoking twice keeps the first time)."""
    actor = actor_of(request)
    token = token_list(actor=actor).filter(pk=token_id).first()
    if token is None:
        raise NotFoundError(_("No such token."))
    return token_revoke(actor=actor, token=token)
