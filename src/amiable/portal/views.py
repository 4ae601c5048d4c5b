"""The customer portal: no password; a signed link or an e-mailed code opens it.

Pages are rendered in the customer's language and never cached. Whatever id a
visitor types, they only reach their own orders, cases and files: anything else
is "not found" (404), exactly like something that does not exist."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, overload
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amiable.conversations.attachments import attachments_from_uploads
from amiable.conversations.downloads import attachment_response
from amiable.core.access import CUSTOMER, PUBLIC, SIGNED, access
from amiable.core.client_address import client_address
from amiable.core.errors import ApplicationError, NotFoundError
from amiable.customers.models import Customer
from amiable.portal.forms import CodeForm, EmailForm, NewRequestForm, ReplyForm
from amiable.portal.requests import portal_request_open, topic_choices
from amiable.portal.selectors import (
    portal_attachment_get,
    portal_case_get,
    portal_case_list,
    portal_order_get,
    portal_order_list,
    public_interactions,
)
from amiable.portal.services import (
    portal_code_request,
    portal_code_verify,
    portal_links_revoke,
    portal_reply,
)
from amiable.portal.sessions import (
    LinkScope,
    portal_customer,
    portal_link_scope,
    portal_sign_in,
    portal_sign_out,
    surviving_customer,
)
from amiable.portal.signing import LinkPage, LinkState, link_token_check
from amiable.portal.timeline import order_timeline
from amiable.promises.models import PromiseKind
from amiable.promises.selectors import portal_promise_list
from amiable.web.requests import form_apply_error

PRIVATE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "same-origin",
}
LANGUAGES = ("fr", "en")
PortalView = Callable[..., HttpResponseBase]


def _language_of(customer: Customer | None) -> str:
    if customer is not None:
        language = (customer.preferred_language or "fr")[:2]
        if language in LANGUAGES:
            return language
    current = (translation.get_language() or "fr")[:2]
    return current if current in LANGUAGES else "fr"


def _render(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    customer: Customer | None,
    status: int = 200,
) -> HttpResponse:
    language = _language_of(customer)
    # A portal page is the customer's, even in a browser where staff are signed
    # in: panels see no staff actor (``PanelRequest.actor`` is None here).
    request.user = AnonymousUser()
    with translation.override(language):
        body = render_to_string(
            template,
            {**context, "customer": customer, "page_language": language},
            request=request,
        )
    response = HttpResponse(body, status=status)
    response["Content-Language"] = language
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    return response


def _not_found(request: HttpRequest, customer: Customer | None) -> HttpResponse:
    return _render(request, "portal/not_found.html", {}, customer=customer, status=404)


def _sign_in_asked(request: HttpRequest) -> HttpResponse:
    """To the sign-in page, with the page asked for in ``next`` (as staff pages)."""
    query = urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(f"{reverse('portal:home')}?{query}")


def _scope_allows(scope: LinkScope | None, page: LinkPage | None, ids: Any) -> bool:
    if scope is None:
        return True
    if page is None:
        return False
    return scope.page == page.value and scope.object_id == ids


@overload
def customer_required(view: PortalView) -> PortalView: ...


@overload
def customer_required(
    *,
    link_page: LinkPage | None = None,
    id_kwarg: str | None = None,
    any_link: bool = False,
) -> Callable[[PortalView], PortalView]: ...


def customer_required(
    view: PortalView | None = None,
    *,
    link_page: LinkPage | None = None,
    id_kwarg: str | None = None,
    any_link: bool = False,
) -> PortalView | Callable[[PortalView], PortalView]:
    """Portal pages need a signed-in customer; others go to the sign-in page (with
    the page they asked for in ``next``, as staff pages do).

    A session opened by a link reaches only its own page: the view names which
    page it is (``link_page``, and the keyword of its object's id), or lets any
    link session in and checks the scope itself (``any_link``); a view without
    either needs a session opened by a code."""

    def decorate(inner: PortalView) -> PortalView:
        @wraps(inner)
        def wrapped(
            request: HttpRequest, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            customer = portal_customer(request)
            if customer is None:
                return _sign_in_asked(request)
            object_id = kwargs.get(id_kwarg) if id_kwarg else None
            scope = portal_link_scope(request)
            if not any_link and not _scope_allows(scope, link_page, object_id):
                return _sign_in_asked(request)
            try:
                return inner(request, customer, *args, **kwargs)
            except NotFoundError:
                return _not_found(request, customer)

        return wrapped

    return decorate(view) if view is not None else decorate


@access(PUBLIC)
@ensure_csrf_cookie
@require_GET
def portal_home_view(request: HttpRequest) -> HttpResponse:
    """Signed in: orders, cases and promises. Otherwise: ask for a code (a link
    session for another page is told its link opens that page only)."""
    customer = portal_customer(request)
    if customer is None or not _scope_allows(
        portal_link_scope(request), LinkPage.HOME, None
    ):
        return _render(
            request,
            "portal/sign_in.html",
            {"form": EmailForm(), "link_customer": customer},
            customer=None,
        )
    return _render(
        request,
        "portal/home.html",
        {
            "orders": portal_order_list(customer=customer),
            "cases": portal_case_list(customer=customer),
        },
        customer=customer,
    )


@access(SIGNED)
@require_GET
def portal_link_view(request: HttpRequest, token: str) -> HttpResponse:
    """A signed link from an email: sign the customer in, open the page it names.

    A staff member signed in to Amiable who opens a customer's link (in a
    message on a case) is not signed in as that customer: they see a notice."""
    if request.user.is_authenticated:
        return _render(request, "portal/link_staff.html", {}, customer=None, status=403)
    link = link_token_check(token)
    customer = None
    if link.customer_id is not None:
        found = Customer.objects.filter(pk=link.customer_id).first()
        customer = surviving_customer(found) if found is not None else None
    if customer is None or link.state == LinkState.INVALID:
        return _render(
            request, "portal/link_invalid.html", {}, customer=None, status=404
        )
    if link.state in {LinkState.EXPIRED, LinkState.REVOKED}:
        return _render(
            request,
            "portal/link_expired.html",
            {"form": EmailForm(), "is_revoked": link.state == LinkState.REVOKED},
            customer=customer,
            status=410,
        )
    portal_sign_in(
        request,
        customer,
        scope=LinkScope(page=link.page.value, object_id=link.object_id),
    )
    targets = {
        LinkPage.ORDER: "portal:order",
        LinkPage.CASE: "portal:case",
    }
    if link.page in targets and link.object_id is not None:
        return HttpResponseRedirect(reverse(targets[link.page], args=[link.object_id]))
    if link.page == LinkPage.PROMISES:
        return HttpResponseRedirect(reverse("portal:promises"))
    return HttpResponseRedirect(reverse("portal:home"))


@access(PUBLIC)
@require_POST
def portal_code_request_view(request: HttpRequest) -> HttpResponse:
    form = EmailForm(request.POST)
    if not form.is_valid():
        return _render(
            request, "portal/sign_in.html", {"form": form}, customer=None, status=422
        )
    email = form.cleaned_data["email"]
    try:
        portal_code_request(email=email, requested_from=client_address(request))
    except ApplicationError as exc:
        form.add_error("email", exc.message)
        return _render(
            request,
            "portal/sign_in.html",
            {"form": form},
            customer=None,
            status=exc.status,
        )
    return _render(
        request,
        "portal/code.html",
        {"form": CodeForm(initial={"email": email}), "email": email},
        customer=None,
    )


@access(PUBLIC)
@require_POST
def portal_code_verify_view(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    email = request.POST.get("email", "")[:254]
    if form.is_valid():
        try:
            customer = portal_code_verify(
                email=form.cleaned_data["email"], code=form.cleaned_data["code"]
            )
        except ApplicationError as exc:
            form.add_error("code", exc.message)
        else:
            portal_sign_in(request, customer)
            return HttpResponseRedirect(reverse("portal:home"))
    return _render(
        request,
        "portal/code.html",
        {"form": form, "email": email},
        customer=None,
        status=422,
    )


@access(PUBLIC)
@require_POST
def portal_sign_out_view(request: HttpRequest) -> HttpResponse:
    portal_sign_out(request)
    return HttpResponseRedirect(reverse("portal:home"))


@access(CUSTOMER)
@require_POST
@customer_required(any_link=True)
def portal_links_revoke_view(request: HttpRequest, customer: Customer) -> HttpResponse:
    """« Sign out all links »: the links in our messages so far stop working."""
    portal_links_revoke(customer=customer)
    portal_sign_out(request)
    with translation.override(_language_of(customer)):
        messages.success(
            request,
            _(
                "You are signed out, and the links in our messages so far no "
                "longer open your customer area."
            ),
        )
    return HttpResponseRedirect(reverse("portal:home"))


def _delivery_promise(promises: list[Any]) -> Any:
    return next((p for p in promises if p.kind == PromiseKind.DELIVERY), None)


@access(CUSTOMER)
@require_GET
@customer_required(link_page=LinkPage.ORDER, id_kwarg="order_id")
def portal_order_view(
    request: HttpRequest, customer: Customer, order_id: int
) -> HttpResponse:
    """An order's tracking timeline, its promised date, what to do if it is late."""
    order = portal_order_get(customer=customer, order_id=order_id)
    promises = portal_promise_list(customer=customer, order_id=order.pk)
    delivery = _delivery_promise(promises)
    promised_at = delivery.due_at if delivery is not None else None
    return _render(
        request,
        "portal/order.html",
        {
            "order": order,
            "steps": order_timeline(order, promised_at=promised_at),
            "delivery": delivery,
            "promises": promises,
        },
        customer=customer,
    )


@access(CUSTOMER)
@ensure_csrf_cookie
@require_http_methods(["GET", "HEAD", "POST"])
@customer_required(link_page=LinkPage.CASE, id_kwarg="case_id")
def portal_case_view(
    request: HttpRequest, customer: Customer, case_id: int
) -> HttpResponse:
    """A case as its customer sees it: status, public messages, promises, reply."""
    case = portal_case_get(customer=customer, case_id=case_id)
    status = 200
    form = ReplyForm()
    if request.method == "POST":
        form = ReplyForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                with translation.override(_language_of(customer)):
                    files = attachments_from_uploads(form.cleaned_data["attachments"])
                    portal_reply(
                        customer=customer,
                        case=case,
                        body_text=form.cleaned_data["body"],
                        attachments=files,
                    )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                with translation.override(_language_of(customer)):
                    messages.success(request, _("Your message was sent. Thank you."))
                return HttpResponseRedirect(reverse("portal:case", args=[case.pk]))
        else:
            status = 422
        case = portal_case_get(customer=customer, case_id=case_id)
    return _render(
        request,
        "portal/case.html",
        {
            "case": case,
            "interactions": public_interactions(case=case),
            "promises": portal_promise_list(customer=customer, case_id=case.pk),
            "form": form,
        },
        customer=customer,
        status=status,
    )


@access(CUSTOMER)
@require_GET
@customer_required(link_page=LinkPage.PROMISES)
def portal_promises_view(request: HttpRequest, customer: Customer) -> HttpResponse:
    """Everything we promised the customer, and where each promise stands."""
    return _render(
        request,
        "portal/promises.html",
        {"promises": portal_promise_list(customer=customer)},
        customer=customer,
    )


@access(CUSTOMER)
@require_GET
@customer_required(any_link=True)
def portal_attachment_view(
    request: HttpRequest, customer: Customer, attachment_id: int
) -> HttpResponseBase:
    """A file of a public message; a link session, only of its case's messages."""
    attachment = portal_attachment_get(customer=customer, attachment_id=attachment_id)
    if not _scope_allows(
        portal_link_scope(request), LinkPage.CASE, attachment.interaction.case_id
    ):
        return _sign_in_asked(request)
    return attachment_response(attachment)


def _request_form(
    customer: Customer, orders: list[Any], data: Any = None, files: Any = None
) -> NewRequestForm:
    return NewRequestForm(
        data,
        files,
        topics=topic_choices(),
        orders=[
            (order.pk, f"{order.external_ref} — {date_format(order.placed_at)}")
            for order in orders
        ],
    )


@access(CUSTOMER)
@ensure_csrf_cookie
@require_http_methods(["GET", "HEAD", "POST"])
@customer_required
def portal_request_new_view(request: HttpRequest, customer: Customer) -> HttpResponse:
    """« New request »: opens a case and shows its reference. A failure shows
    the form again with the customer's text and the reason (files must be
    chosen again: browsers never keep them)."""
    orders = portal_order_list(customer=customer)
    status = 200
    with translation.override(_language_of(customer)):
        if request.method != "POST":
            chosen = request.GET.get("order", "")
            form = _request_form(customer, orders)
            if chosen.isdigit() and any(order.pk == int(chosen) for order in orders):
                form.initial["order"] = int(chosen)
        else:
            form = _request_form(customer, orders, request.POST, request.FILES)
            status = 422
            if form.is_valid():
                data = form.cleaned_data
                by_id = {order.pk: order for order in orders}
                try:
                    case = portal_request_open(
                        customer=customer,
                        topic=data["topic"],
                        order=by_id.get(data["order"]) if data["order"] else None,
                        body_text=data["body"],
                        attachments=attachments_from_uploads(data["attachments"]),
                    )
                except ApplicationError as exc:
                    form_apply_error(form, exc, aliases={"body_text": "body"})
                    status = exc.status
                else:
                    return HttpResponseRedirect(
                        reverse("portal:request_sent", args=[case.pk])
                    )
    return _render(
        request,
        "portal/request_new.html",
        {"form": form, "has_orders": bool(orders)},
        customer=customer,
        status=status,
    )


@access(CUSTOMER)
@require_GET
@customer_required
def portal_request_sent_view(
    request: HttpRequest, customer: Customer, case_id: int
) -> HttpResponse:
    """The acknowledgement of a new request, with the case's reference."""
    case = portal_case_get(customer=customer, case_id=case_id)
    return _render(
        request, "portal/request_sent.html", {"case": case}, customer=customer
    )
