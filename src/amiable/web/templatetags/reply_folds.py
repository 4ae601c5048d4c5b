"""An inbound e-mail's text with its quoted history and signature folded behind a
toggle (``<details>``: no script), nothing deleted."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from amiable.inbound.quoting import Segment, reply_segments

register = template.Library()


def _label(kind: str) -> str:
    if kind == "signature":
        return _("Show the signature")
    if kind == "quote_signature":
        return _("Show the signature and the quoted text")
    return _("Show the quoted text")


def _segment_html(segment: Segment) -> SafeString:
    if not segment.is_folded:
        return linebreaks_filter(segment.text, autoescape=True)
    return format_html(
        '<details class="reply-fold reply-fold--{}" data-testid="reply-fold">'
        '<summary>{}</summary><div class="reply-folded" translate="no">{}</div>'
        "</details>",
        segment.kind,
        _label(segment.kind),
        segment.text,
    )


def has_folds(interaction: Any) -> bool:
    metadata = interaction.metadata or {}
    return bool(metadata.get("full_text")) and not metadata.get("full_text_cut")


@register.filter
def has_reply_folds(interaction: Any) -> bool:
    """Whether ``interaction`` keeps the full text of an e-mail whose quoted
    history or signature was folded (shown with ``reply_body``)."""
    return has_folds(interaction)


@register.simple_tag
def reply_body(interaction: Any) -> SafeString:
    """The customer's text, each folded part (quoted text, signature) behind a
    « Show … » toggle in place; a calendar invitation after it."""
    metadata = interaction.metadata or {}
    segments = reply_segments(
        str(metadata.get("full_text", "")),
        str(metadata.get("reply_lines", "")),
        subject=str(interaction.subject or ""),
    )
    calendar = str(metadata.get("calendar") or "")
    if calendar:
        segments.append(Segment(kind="text", text=calendar))
    return format_html_join("", "{}", ((_segment_html(s),) for s in segments))
