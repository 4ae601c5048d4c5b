"""Forms of the sign-in pages (shape; the accounts services own the rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from amiable.accounts.selectors import signin_lock_find
from amiable.accounts.services import signin_failure_record
from amiable.core.client_address import client_address


class SignInForm(AuthenticationForm):
    """Django's sign-in form behind the throttle: a locked account or address is
    refused before the password is checked; a wrong password is counted."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _(
            "Too many wrong passwords: signing in is locked until %(until)s. "
            "Try again later or ask an administrator to unlock it."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = str(self.cleaned_data.get("username") or "")
        address = client_address(self.request) if self.request else ""
        lock = signin_lock_find(username=username, address=address)
        if lock is not None:
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={
                    "until": formats.date_format(
                        timezone.localtime(lock.until), "SHORT_DATETIME_FORMAT"
                    )
                },
            )
        try:
            return super().clean()
        except forms.ValidationError as error:
            if error.code == "invalid_login":
                signin_failure_record(username=username, address=address)
            raise


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )
