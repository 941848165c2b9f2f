"""Sign in, sign out and change your password."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from service.auth import bp
from service.auth.forms import ChangePasswordForm, SignInForm
from service.auth.password_policy import new_password_problem, published_demo_password
from service.auth.passwords import hash_password, verify_password
from service.auth.session import start_session
from service.auth.source_address import source_address
from service.auth.throttle import claim_attempt, hand_back
from service.dao.staff import (
    get_staff_by_username,
    record_failed_sign_in,
    record_sign_in,
    record_sign_out,
    set_staff_password,
)

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


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    if not form.validate_on_submit():
        return render_template("auth/sign_in.html", form=form, problem=None)
    address = source_address()
    user = get_staff_by_username(form.username.data)
    claim = claim_attempt(form.username.data, address)  # counted before the password is checked
    if claim.address_stopped:
        record_failed_sign_in(user.id if user else None, address, limited=True)
        return render_template("auth/sign_in.html", form=form, problem=sign_in_problem(ADDRESS_STOPPED)), 429
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
    return render_template("auth/sign_in.html", form=form, problem=sign_in_problem(NOT_RIGHT))


@bp.route("/sign-out", methods=["POST"])
@login_required
def sign_out():
    record_sign_out(current_user._get_current_object())
    logout_user()
    session.clear()
    flash("You have signed out.", "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change your own password: the current one, then a new one the password rules accept."""
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        new, address = form.new_password.data, source_address()
        # The current password is guessed no more freely here than at sign-in: the same limits count it.
        claim = claim_attempt(user.username, address)
        if claim.address_stopped or claim.account_stopped:
            form.current_password.errors.append("The current password is not right, or too many were tried")
        elif not verify_password(user.password_hash, form.current_password.data):
            form.current_password.errors.append("The current password is not right")
        else:
            hand_back(claim, user.username, address)
            if problem := new_password_problem(new, user.username, user.display_name):
                form.new_password.errors.append(problem)
            elif form.confirm_password.data != new:
                form.confirm_password.errors.append("Enter the same new password in both boxes")
            else:
                # Every session ends with the old password; this one carries on with the new version.
                start_session(set_staff_password(user, hash_password(new), actor_id=user.id))
                flash("Your password has been changed. You have been signed out everywhere else.", "success")
                return redirect(url_for("home.index"))
    return render_template("auth/change_password.html", form=form)
