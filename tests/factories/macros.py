"""Factories of macros."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from amiable.macros.models import Macro


class MacroFactory(DjangoModelFactory[Macro]):
    """A team macro unless ``owner`` is given (then pass ``team=None``)."""

    class Meta:
        model = Macro

    name = factory.Sequence(lambda n: f"Macro {n}")
    body_fr = "Bonjour {{ first_name }}, votre dossier {{ case_reference }} avance."
    body_en = "Hello {{ first_name }}, your case {{ case_reference }} is moving."
