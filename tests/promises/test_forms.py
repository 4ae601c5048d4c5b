"""The promise forms speak the language of the request, not the one active when
the module was imported."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation

from amiable.promises.forms import PromiseMakeForm, PromiseRenegotiateForm


@pytest.mark.parametrize(
    ("form_class", "language", "label"),
    [
        (PromiseMakeForm, "en", "Due"),
        (PromiseMakeForm, "fr", "Échéance"),
        (PromiseRenegotiateForm, "en", "New due time"),
        (PromiseRenegotiateForm, "fr", "Nouvelle échéance"),
    ],
)
def test_the_due_time_label_follows_the_language(
    form_class: type[forms.Form], language: str, label: str
) -> None:
    with translation.override(language):
        shown = str(form_class().fields["due_at"].label)

    assert shown == label
