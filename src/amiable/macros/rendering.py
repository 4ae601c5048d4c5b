"""Rendering a macro's text: a sandboxed substitution of documented variables.

The only syntax is ``{{ name }}`` where ``name`` is one of ``VARIABLES``; the values
are plain strings computed beforehand (``MacroContext``), so a macro can reach
nothing else: no attribute access, no filters, no tags, no code. An unknown name is
refused when the macro is saved (``unknown_variables``) and left as written if one
ever reaches rendering.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from django.utils.translation import gettext_lazy as _

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
# Anything between double braces, to refuse what is not a plain documented name
# ("{{ first_name.upper }}", "{{ x|safe }}") when a macro is saved.
BRACES = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)

# name -> what it holds (shown on the macro form as the documentation).
VARIABLES = {
    "first_name": _("the customer's first name"),
    "customer_name": _("the customer's full name"),
    "case_reference": _("the case reference"),
    "case_subject": _("the case subject"),
    "order_number": _("the number of the case's latest order"),
    "promise_due_date": _("the due date of the case's next open promise"),
    "agent_first_name": _("your first name"),
}


@dataclass(frozen=True)
class MacroContext:
    """Every value a macro may show, already formatted for the customer."""

    first_name: str = ""
    customer_name: str = ""
    case_reference: str = ""
    case_subject: str = ""
    order_number: str = ""
    promise_due_date: str = ""
    agent_first_name: str = ""


def unknown_variables(text: str) -> list[str]:
    """The names used in ``text`` that are not documented variables, sorted."""
    used = {inner.strip() for inner in BRACES.findall(text)}
    return sorted(name for name in used if name not in VARIABLES)


def render_macro_text(text: str, context: MacroContext) -> str:
    """Replace each ``{{ variable }}`` by its value from ``context``."""
    values = asdict(context)

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        return str(values[name]) if name in values else match.group(0)

    return PLACEHOLDER.sub(substitute, text)
