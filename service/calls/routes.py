"""Screens for the call log and the callback list."""

from __future__ import annotations

import logging

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from service.auth import role_required
from service.calls import bp
from service.calls.click_to_call import ring_handler, why_no_call
from service.calls.forms import CallForm
from service.consultations.choices import fill_consultation_choices
from service.dao.callback_calls import end_stale_tries, last_tries, start_callback_call
from service.dao.calls import NewCall, get_call, list_calls, list_open_callbacks, log_call, mark_callback_done
from service.dao.form_keys import make_once
from service.dao.staff import get_staff_by_id
from service.form_keys import submitted_form_key
from service.geo.phones import last_digits
from service.models import CallOutcome, Role
from service.models.types import utcnow
from service.params import bounded_int
from service.twilio_rest import rest_is_set_up
from service.web import get_or_404

log = logging.getLogger(__name__)
handlers = role_required(Role.CALL_HANDLER)


@bp.get("")
@handlers
def index():
    page = list_calls(request.args.get("page", 1, type=bounded_int))
    return render_template("calls/index.html", calls=page.items, page=page)


@bp.route("/new", methods=["GET", "POST"])
@handlers
def new():
    form = CallForm()
    consultations = fill_consultation_choices(form.consultation_id, form.is_submitted())
    if form.validate_on_submit():
        if form.consultation_id.data not in {c.id for c in consultations}:
            form.consultation_id.errors.append("Select the consultation the call is about")
        else:
            details = NewCall(
                consultation_id=form.consultation_id.data,
                outcome=CallOutcome(form.outcome.data),
                notes=(form.notes.data or "").strip(),
                caller_name=(form.caller_name.data or "").strip(),
                caller_phone=getattr(form.caller_phone, "normalised", None),
                callback_due_at=form.callback_due.data,
            )
            # A second submit of the same form (a double click, a retried POST) finds the first call.
            call_id, new = make_once("call", submitted_form_key(), lambda: log_call(details, current_user.id).id)
            call = get_call(call_id)
            outcome = call.outcome
            if new:
                log.info("Call %s logged by staff user %s", call.id, current_user.id)
            if outcome in (CallOutcome.PAPER_COPY, CallOutcome.OTHER_FORMAT):
                flash("Call logged. Now take the caller's details for the request.", "success")
                return redirect(url_for("requests.new", call=call.id, format=form.requested_format.data or None))
            flash("Call logged.", "success")
            return redirect(url_for("calls.index"))
    return render_template("calls/new.html", form=form)


@bp.get("/callbacks")
@handlers
def callbacks():
    open_callbacks = list_open_callbacks()
    handler = get_staff_by_id(current_user.id)
    return render_template(
        "calls/callbacks.html",
        callbacks=open_callbacks,
        now=utcnow(),
        tries=last_tries(call.id for call in open_callbacks),
        # With one-click calls, the handler never needs the caller's number: the list shows its last digits.
        one_click=rest_is_set_up() and bool(current_app.config["PUBLIC_BASE_URL"]),
        handler_phone=handler.phone,
    )


@bp.post("/<int:call_id>/call-back")
@handlers
def call_back(call_id: int):
    """Ring the handler's own phone, then (when they press 1) the caller: once per click, however many."""
    call = get_or_404(get_call, call_id)
    handler = get_or_404(get_staff_by_id, current_user.id)
    problem = why_no_call(call, handler)
    if problem is not None:
        flash(problem, "error")
        return redirect(url_for("calls.callbacks"))
    end_stale_tries(call.id, utcnow())
    try:
        attempt_id, new = make_once(
            "callback_call", submitted_form_key(), lambda: start_callback_call(call.id, handler.id, utcnow()).id
        )
    except IntegrityError:
        flash("A call for this callback is already ringing. Wait for it to end, then try again.", "error")
        return redirect(url_for("calls.callbacks"))
    if not new:
        flash("Your phone is already being rung for this callback.", "info")
        return redirect(url_for("calls.callbacks"))
    problem = ring_handler(attempt_id)
    if problem is not None:
        flash(problem, "error")
    else:
        flash(
            f"Ringing your phone (ending {last_digits(handler.phone or '')}). Answer it and press 1: then the caller is rung.",
            "success",
        )
    return redirect(url_for("calls.callbacks"))


@bp.post("/<int:call_id>/callback-done")
@handlers
def callback_done(call_id: int):
    call = get_or_404(get_call, call_id)
    if not call.callback_open:
        flash("That callback was already marked done.", "info")
    else:
        mark_callback_done(call, current_user.id, utcnow())
        flash("Callback marked done.", "success")
    return redirect(url_for("calls.callbacks"))
