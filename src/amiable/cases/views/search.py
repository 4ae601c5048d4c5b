"""The results page of the search box in the page header."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from amiable.cases.selectors import global_search
from amiable.cases.selectors.search import MAX_TEXT_LENGTH
from amiable.core.access import STAFF, access
from amiable.web.requests import request_actor


@access(STAFF)
@login_required
@require_GET
def global_search_view(request: HttpRequest) -> HttpResponse:
    """Cases, orders and customers matching ``q``, grouped by kind; an empty box
    shows what may be typed."""
    text = request.GET.get("q", "")[:MAX_TEXT_LENGTH].strip()
    results = global_search(actor=request_actor(request), text=text)
    return render(request, "cases/search.html", {"q": text, "results": results})
