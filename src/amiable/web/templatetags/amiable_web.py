"""Presentation-only template tags: money, tenure, recognition badge, direction, and
the panels other apps add to a page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amiable.cases.models import CaseCategory
from amiable.conversations.models import CallOutcome, Channel
from amiable.conversations.sanitising import has_remote_images, sanitise_html
from amiable.core.clock import now
from amiable.core.money import CURRENCY_EXPONENTS
from amiable.core.navigation import nav_items_for
from amiable.core.panels import PanelRequest, panels_for
from amiable.core.safe_urls import link_url_or_empty

register = template.Library()

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF", "JPY": "¥"}
LOYAL_YEARS = 5


@register.simple_tag
def money(amount: Decimal | int | None, currency: str = "EUR") -> str:
    """An amount with its currency, written the way the active language writes it:
    ``1 234,50 €`` in French, ``€1,234.50`` in English."""
    if amount is None:
        return ""
    places = CURRENCY_EXPONENTS.get(currency, 2)
    number = formats.number_format(
        Decimal(amount), decimal_pos=places, use_l10n=True, force_grouping=True
    )
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    if translation.get_language() == "en":
        return f"{symbol}{number}" if len(symbol) == 1 else f"{symbol} {number}"
    return f"{number}\u00a0{symbol}"


def tenure_years_of(since: dt.date | None, today: dt.date | None = None) -> int:
    """Whole years between ``since`` and today."""
    if since is None:
        return 0
    today = today or now().date()
    years = (
        today.year - since.year - ((today.month, today.day) < (since.month, since.day))
    )
    return max(0, years)


@register.filter
def tenure_years(since: dt.date | None) -> int:
    return tenure_years_of(since)


@register.filter
def duration(seconds: int | str | None) -> str:
    """``125`` -> ``2 min 05 s``."""
    try:
        total = int(seconds or 0)
    except (TypeError, ValueError):
        return ""
    minutes, secs = divmod(total, 60)
    if minutes:
        return _("%(minutes)d min %(seconds)02d s") % {
            "minutes": minutes,
            "seconds": secs,
        }
    return _("%(seconds)d s") % {"seconds": secs}


def _has_vip_tag(customer: Any) -> bool:
    """True when the customer's tags are already loaded and include "vip".

    Never queries: a badge must stay free in lists of thousands of rows.
    """
    cache = getattr(customer, "_prefetched_objects_cache", {})
    tags = cache.get("tags")
    if tags is None:
        return False
    return any(tag.name.lower() == "vip" for tag in tags)


@register.inclusion_tag("web/partials/customer_badge.html")
def customer_badge(customer: Any) -> dict[str, Any]:
    """Recognition of long-standing and valuable customers, for any screen."""
    since = getattr(customer, "customer_since", None)
    years = tenure_years_of(since)
    if years >= 1:
        label = ngettext(
            "Customer for %(years)d year", "Customer for %(years)d years", years
        ) % {"years": years}
    elif since is not None:
        label = _("New customer")
    else:
        label = ""
    return {
        "label": label,
        "years": years,
        "is_loyal": years >= LOYAL_YEARS,
        "is_vip": _has_vip_tag(customer),
        "since": since,
    }


@register.filter
def sanitised(html: str) -> SafeString:
    """Sanitise again at display time (defence in depth) and mark safe."""
    return mark_safe(sanitise_html(html or ""))  # noqa: S308 - cleaned by nh3


@register.simple_tag(takes_context=True)
def message_html(context: template.Context, interaction: Any) -> SafeString:
    """A message's HTML, sanitised; its remote images shown through the image
    proxy when the reader asked for them (``?images=<id>``), else a button that
    asks (a link to the same page: no script)."""
    raw = str(interaction.body_html or "")
    request = context.get("request")
    asked = request is not None and request.GET.get("images") == str(interaction.pk)
    body = mark_safe(sanitise_html(raw, show_images=asked))  # noqa: S308 - nh3
    if asked or not has_remote_images(raw):
        return body
    button = format_html(
        '<p class="remote-images"><a class="button button--small" '
        'href="?images={}#interaction-{}" data-testid="show-images">{}</a> '
        '<small class="muted">{}</small></p>',
        interaction.pk,
        interaction.pk,
        _("Show images"),
        _("Fetched through our server: the sender does not learn who reads it."),
    )
    return format_html("{}{}", body, button)


@register.filter
def link_url(value: str) -> str:
    """``value`` when it may be a link (http, https, mailto), else ""."""
    return link_url_or_empty(str(value or ""))


@register.simple_tag
def status_badge(value: str, label: str) -> SafeString:
    return format_html('<span class="badge badge--{}">{}</span>', value, label)


@register.simple_tag(takes_context=True)
def cursor_url(context: dict[str, Any], param: str, value: str | None) -> str:
    """The current URL's query string with ``param`` set to ``value`` (a cursor)."""
    request = context["request"]
    query = request.GET.copy()
    query.pop(param, None)
    if value:
        query[param] = value
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


@register.filter
def channel_label(value: str) -> str:
    """The translated name of a channel code."""
    return str(dict(Channel.choices).get(value, value))


@register.filter
def call_outcome_label(value: str) -> str:
    """The translated outcome of a logged phone call."""
    return str(dict(CallOutcome.choices).get(value, value))


@register.filter
def taxonomy_name(entry: Any) -> str:
    """A root cause's or a category's name in the page's language (not its code)."""
    if entry is None:
        return ""
    return str(entry.name_in(translation.get_language() or "fr"))


@register.filter
def case_category_label(code: str) -> str:
    """The name of the case category ``code`` in the page's language (one query;
    for detail pages), or the code when no such category exists."""
    if not code:
        return ""
    entry = CaseCategory.objects.filter(code=code).first()
    return taxonomy_name(entry) if entry else code


@register.filter
def iso_datetime(value: str | None) -> dt.datetime | None:
    """An ISO 8601 string stored in JSON metadata, as an aware datetime (or None)."""
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


@register.simple_tag(takes_context=True)
def render_panels(context: template.Context, slot: str, subject: Any) -> SafeString:
    """Render every panel registered for ``slot`` (``amiable.core.panels``) about
    ``subject``; a panel whose context function returns None shows nothing."""
    request = context.get("request")
    if request is None:
        return mark_safe("")  # noqa: S308 (empty)
    user = getattr(request, "user", None)
    actor = user if user is not None and user.is_authenticated else None
    panel_request = PanelRequest(request=request, subject=subject, actor=actor)
    parts = []
    for panel in panels_for(slot):
        panel_context = panel.context(panel_request)
        if panel_context is None:
            continue
        parts.append(
            render_to_string(
                panel.template,
                {**panel_context, "panel_subject": subject},
                request=request,
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 (rendered, auto-escaped templates)


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    is_current: bool
    badge: int | None


@register.simple_tag(takes_context=True)
def nav_links(context: template.Context) -> list[NavLink]:
    """The main navigation entries of the signed-in user (``core.navigation``)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return []
    links = []
    for item in nav_items_for(user):
        url = reverse(item.url_name)
        links.append(
            NavLink(
                label=str(item.label),
                url=url,
                is_current=request.path.startswith(url) and url != "/",
                badge=item.badge(user) if item.badge is not None else None,
            )
        )
    return links
