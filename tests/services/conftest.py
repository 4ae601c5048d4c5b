"""Fixtures for the service-layer tests: isolated media, immediate tasks, a customer."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from amiable.customers.models import Customer
from tests.factories import CustomerFactory


@pytest.fixture(autouse=True)
def _isolated_side_effects(settings: Settings, tmp_path: Path) -> None:
    """Tasks run as soon as they are enqueued."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }


@pytest.fixture
def customer(db: None) -> Customer:
    return CustomerFactory.create(name="Élodie Martin")
