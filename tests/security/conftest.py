"""The scene of the access matrices, loaded once for the package."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import override_settings
from pytest_django import DjangoDbBlocker

from amiable.demo.loader import demo_load
from tests.security.access_scene import PATH_VALUES, Scene, scene_build


@pytest.fixture(scope="package")
def scene(
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Scene]:
    """The demo data and a token and a session per role, rolled back after."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("access-media")),
        transaction.atomic(),
    ):
        demo_load(scale=0.02, progress=False)
        yield scene_build(PATH_VALUES)
        transaction.set_rollback(True)
