"""Each user's saved inbox views."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.cases.models import (
    SavedView,
)
from amiable.core.errors import PermissionDeniedError, ValidationError


@transaction.atomic
def saved_view_save(*, actor: User, name: str, query: str) -> SavedView:
    """Create or replace the actor's saved inbox view called ``name``."""
    name = name.strip()[:80]
    if not name:
        raise ValidationError(
            _("Give the view a name."), fields={"name": [_("Required.")]}
        )
    view, _created = SavedView.objects.update_or_create(
        user=actor, name=name, defaults={"query": query.lstrip("?")[:1000]}
    )
    return view


@transaction.atomic
def saved_view_delete(*, actor: User, view: SavedView) -> None:
    if view.user_id != actor.pk:
        raise PermissionDeniedError(_("This view is not yours."))
    view.delete()
