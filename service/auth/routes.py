"""Sign in and sign out."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from service.auth import bp
from service.auth.forms import ChangePasswordForm, SignInForm
from service.auth.password_policy import new_password_problem, published_demo_password
from service.auth.passwords import hash_password, verify_password
from service.auth.throttle import gate_for, lock_until_after_failure
from service.dao.staff import (
    get_staff_by_username,
    record_failed_sign_in,
    record_sign_in,
    record_sign_out,
    set_staff_password,
)
from service.models.types import utcnow
from service.words import plural

log = logging.getLogger(__name__)


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
    problem = None
    if form.validate_on_submit():
        now = utcnow()
        user = get_staff_by_username(form.username.data)
        gate = gate_for(user, now, current_app.config["SIGN_IN_SLOW_AFTER"])
        if gate.locked:
            problem = "This account is locked after too many failed sign-ins. Try again later or ask a supervisor to reset your password."
        elif not gate.allowed:
            problem = f"Too many failed sign-ins. Wait {plural(gate.wait_seconds, 'second')}, then try again."
        elif (
            verify_password(user.password_hash if user else None, form.password.data)
            and user.is_active
            and not _demo_password_outside_development(form.password.data)
        ):
            record_sign_in(user)
            session.clear()
            login_user(user)
            session.permanent = True
            log.info("Staff user %s signed in", user.id)
            return redirect(_safe_next(request.args.get("next")))
        else:
            lock_until = None
            if user is not None:
                lock_until = lock_until_after_failure(
                    user, now, current_app.config["SIGN_IN_LOCK_AFTER"], current_app.config["SIGN_IN_LOCK_MINUTES"]
                )
            record_failed_sign_in(user, now, lock_until)
            problem = (
                "This account is now locked after too many failed sign-ins. Ask a supervisor to reset your password."
                if lock_until
                else "The username or password is not right"
            )
        status = 429 if problem and "Wait" in problem else 200
        return render_template("auth/sign_in.html", form=form, problem=problem), status
    return render_template("auth/sign_in.html", form=form, problem=problem)


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
        new = form.new_password.data
        if not verify_password(user.password_hash, form.current_password.data):
            form.current_password.errors.append("The current password is not right")
        elif problem := new_password_problem(new, user.username, user.display_name):
            form.new_password.errors.append(problem)
        elif form.confirm_password.data != new:
            form.confirm_password.errors.append("Enter the same new password in both boxes")
        else:
            set_staff_password(user, hash_password(new), actor_id=user.id)
            flash("Your password has been changed.", "success")
            return redirect(url_for("home.index"))
    return render_template("auth/change_password.html", form=form)
