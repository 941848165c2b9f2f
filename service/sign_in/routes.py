"""Sign in: one message for every refusal, the limits counted before the password is checked."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user

from service.auth.password_policy import published_demo_password
from service.auth.passwords import verify_password
from service.auth.session import start_session
from service.auth.source_address import source_address
from service.auth.throttle import claim_attempt, hand_back
from service.dao.staff import get_staff_by_username, record_failed_sign_in, record_sign_in
from service.sign_in import bp
from service.sign_in.forms import SignInForm

log = logging.getLogger(__name__)

# One message for a wrong password, a name no account has and a locked account: which of them it was would
# tell an attacker which names exist and when to move on.
NOT_RIGHT = (
    "The username or password is not right. After {lock_after} wrong tries an account is locked for "
    "{lock_minutes} minutes on the computer used: a supervisor can unlock it sooner."
)
ADDRESS_STOPPED = "Too many failed sign-ins from this network. Try again in {address_minutes} minutes."


def sign_in_problem(template: str) -> str:
    """One of the messages above, with this service's limits in it."""
    config = current_app.config
    return template.format(
        lock_after=config["SIGN_IN_LOCK_AFTER"],
        lock_minutes=config["SIGN_IN_LOCK_MINUTES"],
        address_minutes=config["SIGN_IN_ADDRESS_MINUTES"],
    )


def _safe_next(target: str | None) -> str:
    """Only follow `next` to a path on this site (never to another host)."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("home.index")


def _demo_password_outside_development(password: str) -> bool:
    return current_app.config["ENV_NAME"] not in ("development", "test") and published_demo_password(password)


@bp.route("", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    if not form.validate_on_submit():
        return render_template("sign_in/sign_in.html", form=form, problem=None)
    address = source_address()
    user = get_staff_by_username(form.username.data)
    claim = claim_attempt(form.username.data, address)  # counted before the password is checked
    if claim.address_stopped:
        record_failed_sign_in(user.id if user else None, address, limited=True)
        return render_template("sign_in/sign_in.html", form=form, problem=sign_in_problem(ADDRESS_STOPPED)), 429
    if (
        not claim.account_stopped
        and verify_password(user.password_hash if user else None, form.password.data)
        and user.is_active
        and not _demo_password_outside_development(form.password.data)
    ):
        hand_back(claim, form.username.data, address)
        record_sign_in(user, address)
        session.clear()
        login_user(user)
        start_session(user.session_version)
        session.permanent = True
        log.info("Staff user %s signed in", user.id)
        return redirect(_safe_next(request.args.get("next")))
    record_failed_sign_in(user.id if user else None, address, limited=claim.account_stopped)
    return render_template("sign_in/sign_in.html", form=form, problem=sign_in_problem(NOT_RIGHT))
