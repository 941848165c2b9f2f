"""Screens for requests: log one, find one, read its history, fulfil alternative formats."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from service.accessible_formats.tools import tools_for
from service.audit.sentences import describe, names_for, who
from service.auth import role_required
from service.consultations.choices import fill_consultation_choices
from service.dao.accessible_files import files_by_pack, list_made_by_service
from service.dao.audit import AuditSearch, objects_of_request, search_audit
from service.dao.calls import get_call
from service.dao.consultations import get_consultation, list_consultations
from service.dao.corrections import CANCELLABLE, CORRECTABLE
from service.dao.form_keys import make_once, result_for_form_key
from service.dao.requests import (
    LikelyDuplicate,
    RequestSearch,
    change_request_status,
    create_request,
    find_likely_duplicates,
    get_request,
    get_status_history,
    list_alternative_formats_due,
    search_requests,
)
from service.dao.texts import text_of_request
from service.dates import DateProblem, TypedDate, parse_typed, read_date_parts
from service.form_keys import submitted_form_key
from service.geo.postcode_directory import SOURCE, place_of, release_of
from service.geo.postcodes import InvalidPostcode, parse_postcode
from service.models import MADE_WITH_TOOLS, Delivery, PrintFormat, RequestStatus, Role
from service.models.consultations import UK
from service.models.types import uk_today, utcnow
from service.params import bounded_int
from service.personal_data.erasure import erased_notice
from service.requests import bp
from service.requests.forms import PaperRequestForm
from service.requests.intake import build_new_request
from service.texts.offer import may_offer_text
from service.web import get_or_404

log = logging.getLogger(__name__)
handlers = role_required(Role.CALL_HANDLER)
AUDIT_SHOWN = 20  # the rest are a link away, in the audit trail filtered to this request


def _prefill_from_call(form: PaperRequestForm) -> None:
    """Carry what the call log already knows: the consultation, the caller, and the format they asked for."""
    if form.is_submitted():
        return
    if request.args.get("format") in {f.value for f in PrintFormat}:
        form.format.data = request.args["format"]
    call_id = request.args.get("call", type=bounded_int)
    call = get_call(call_id) if call_id else None
    if call is None:
        return
    form.call_id.data = str(call.id)
    form.consultation_id.data = call.consultation_id
    if call.caller:
        form.name.data = call.caller.name
        form.phone.data = call.caller.phone or ""


def _existing_call_id(text: str | None) -> int | None:
    """The call the request came from, if the hidden field names one that exists (else a new call is logged)."""
    try:
        call = get_call(bounded_int(text or ""))
    except ValueError:
        return None
    return call.id if call else None


def _saved_by_this_form() -> int | None:
    key = submitted_form_key()
    return result_for_form_key("request", key) if key else None


@bp.route("/new", methods=["GET", "POST"])
@handlers
def new():
    form = PaperRequestForm()
    consultations = fill_consultation_choices(form.consultation_id, form.is_submitted())
    _prefill_from_call(form)
    duplicates = []
    if form.is_submitted() and (earlier := _saved_by_this_form()) is not None:
        return redirect(url_for("requests.show", request_id=earlier, saved=1))  # submitted again: the first
    if form.validate_on_submit():
        consultation = get_consultation(form.consultation_id.data)
        if consultation is None:
            form.consultation_id.errors.append("Select the consultation the caller is asking about")
        elif consultation.refuses_requests_on(utcnow()):
            form.consultation_id.errors.append(
                f"{consultation.display_name} closed on {consultation.closes_on:%-d %B %Y} and takes no late "
                "replies, so no paper copy can be sent. Tell the caller, and log the call instead"
            )
        else:
            postcode = form.postcode.normalised
            duplicates = find_likely_duplicates(consultation.id, form.name.data, form.address_line_1.data, postcode)
            if duplicates and not (form.duplicate_reason.data or "").strip():
                if (earlier := _saved_by_this_form()) is not None:  # the first submit finished just now
                    return redirect(url_for("requests.show", request_id=earlier, saved=1))
                form.duplicate_reason.errors.append(
                    "This looks like a repeat request. Enter why another copy is needed, or do not save it"
                )
            else:
                call_id = _existing_call_id(form.call_id.data)
                details = build_new_request(
                    consultation,
                    now=utcnow(),
                    working_days_allowed=current_app.config["ALTERNATIVE_FORMAT_WORKING_DAYS"],
                    name=form.name.data,
                    address_line_1=form.address_line_1.data,
                    address_line_2=form.address_line_2.data or "",
                    address_line_3=form.address_line_3.data or "",
                    town=form.town.data,
                    postcode=postcode,
                    phone=getattr(form.phone, "normalised", None),
                    print_format=PrintFormat(form.format.data),
                    language=form.language.data or "",
                    copies=bounded_int(form.copies.data),
                    notes=form.notes.data or "",
                    duplicate_reason=form.duplicate_reason.data if duplicates else "",
                    call_id=call_id,
                    delivery=Delivery(form.delivery.data or Delivery.POST.value),
                    email=form.email.data or "",
                )
                try:
                    # A second submit of the same form (a double click, a retried POST) finds the first request.
                    request_id, new = make_once(
                        "request",
                        submitted_form_key(),
                        lambda: (
                            create_request(
                                details, current_user.id, current_user.display_name, refuse_likely_duplicates=True
                            ).request_id
                        ),
                    )
                except LikelyDuplicate:  # the same caller's request was saved a moment ago, by someone else
                    duplicates = find_likely_duplicates(
                        consultation.id, form.name.data, form.address_line_1.data, postcode
                    )
                    form.duplicate_reason.errors.append(
                        "This looks like a repeat request. Enter why another copy is needed, or do not save it"
                    )
                else:
                    if new:
                        log.info("Request %s logged by staff user %s", request_id, current_user.id)
                    return redirect(url_for("requests.show", request_id=request_id, saved=1))
    # Shown again after a problem with every answer kept and a message beside each field.
    return render_template(
        "requests/new.html",
        form=form,
        consultations=consultations,
        duplicates=duplicates,
        today=uk_today(),
    )


def _search_day(name: str, what: str, errors: dict[str, DateProblem]) -> tuple[TypedDate, datetime | None]:
    """A 'logged from' or 'to' day of the search, as typed and read (UK midnight); a problem goes in `errors`."""
    typed = read_date_parts(request.args, name)
    if typed.blank:
        return typed, None
    try:
        day = parse_typed(typed, what)
    except DateProblem as problem:
        errors[name] = problem
        return typed, None
    return typed, datetime.combine(day, time(), tzinfo=UK)


@bp.get("")
@handlers
def index():
    args = request.args
    status_value = args.get("status") or ""
    status = RequestStatus(status_value) if status_value in {s.value for s in RequestStatus} else None
    errors: dict[str, DateProblem] = {}
    from_typed, from_day = _search_day("from", "Logged from", errors)
    to_typed, to_day = _search_day("to", "Logged to", errors)
    criteria = RequestSearch(
        text=args.get("q", ""),
        status=status,
        consultation_id=args.get("consultation", type=bounded_int) or None,
        from_date=from_day,
        to_date=to_day + timedelta(days=1) if to_day else None,
        page=args.get("page", 1, type=bounded_int),
    )
    page = search_requests(criteria)
    return render_template(
        "requests/index.html",
        results=page.items,
        page=page,
        args=args,
        errors=errors,
        typed={"from": from_typed, "to": to_typed},
        problems=[(f"{name}-{problem.parts[0]}", problem.message) for name, problem in errors.items()],
        statuses=list(RequestStatus),
        consultations=list_consultations(),
    )


@bp.get("/<int:request_id>")
@handlers
def show(request_id: int):
    return render_request_page(get_or_404(get_request, request_id))


def _audit_about(request_id: int):
    """The latest audit entries about the request, its caller and its print batches, as the trail words them."""
    page = search_audit(AuditSearch(objects=tuple(objects_of_request(request_id)), per_page=AUDIT_SHOWN))
    names = names_for(page.items)
    return page, [(event, who(event), describe(event, names)) for event in page.items]


def render_request_page(paper_request, reprint_error: str | None = None, text_error: str | None = None):
    """A request's page; with `reprint_error` or `text_error`, that form's problem beside it."""
    return render_template(
        "requests/show.html",
        paper_request=paper_request,
        files=files_by_pack([pack.id for pack in paper_request.packs]),
        history=get_status_history(paper_request.id),
        audit=_audit_about(paper_request.id) if current_user.has_role(Role.SUPERVISOR) else None,
        just_saved=request.args.get("saved") == "1",
        correctable={status.value for status in CORRECTABLE},
        cancellable={status.value for status in CANCELLABLE},
        reprint_error=reprint_error,
        erased=erased_notice(paper_request.caller),
        text=text_of_request(paper_request.id),
        may_text=may_offer_text(paper_request),
        text_error=text_error,
        postcode_unknown=_postcode_unknown(paper_request),
        directory=f"{SOURCE} ({release_of(paper_request.consultation.area)})",
    )


def _postcode_unknown(paper_request) -> bool:
    """Whether the request waits for an address check because the directory does not know its postcode."""
    postcode = paper_request.caller.postcode
    if paper_request.status != RequestStatus.NEEDS_ADDRESS_CHECK or not postcode:
        return False
    try:
        return place_of(parse_postcode(postcode), paper_request.consultation.area).unknown
    except InvalidPostcode:
        return False


@bp.get("/alternative-formats")
@handlers
def alternative_formats():
    today = uk_today()
    made = list_made_by_service()
    return render_template(
        "requests/alternative_formats.html",
        due=list_alternative_formats_due(),
        made=made,
        files=files_by_pack([pack.id for r in made for pack in r.packs]),
        tools={print_format: tools_for(print_format) for print_format in MADE_WITH_TOOLS},
        today=today,
    )


@bp.post("/<int:request_id>/alternative-format-sent")
@handlers
def alternative_format_sent(request_id: int):
    paper_request = get_or_404(get_request, request_id)
    if paper_request.status != RequestStatus.ALTERNATIVE_FORMAT_DUE:
        flash("That request is not waiting for an alternative format.", "error")
    else:
        change_request_status(
            paper_request,
            RequestStatus.ALTERNATIVE_FORMAT_SENT,
            current_user.id,
            current_user.display_name,
            "Sent by hand",
        )
        flash(f"Marked as sent: {paper_request.format.label} for request {paper_request.id}.", "success")
    return redirect(url_for("requests.alternative_formats"))
