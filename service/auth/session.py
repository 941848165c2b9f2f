"""Flask-Login wiring, the idle timeout, and the session version that lets a session be ended.

The session lives in a signed cookie, so a copy of the cookie would open the service until it expired. Each
staff account has a `session_version`; signing in stores it in the cookie, and every request compares it
with the account's. Signing out, setting a password and a supervisor's "Sign out everywhere" add one to it
(in one UPDATE), so every cookie issued before, copies included, stops working at once.
"""

from __future__ import annotations

import time

from flask import Flask, flash, g, redirect, request, session
from flask_login import current_user, logout_user
from flask_login.utils import login_url

from service.extensions import login_manager

SESSION_VERSION = "session_version"
ENDED_MESSAGE = (
    "You have been signed out: your session was ended by signing out, a password change or a supervisor. "
    "Sign in again to continue."
)


def start_session(version: int) -> None:
    """Tie this browser's session to the account's current session version (at sign-in, or after a change)."""
    session[SESSION_VERSION] = version


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "sign_in.sign_in"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str):
        from service.dao.staff import get_staff_by_id

        user = get_staff_by_id(int(user_id)) if user_id.isdigit() else None
        if user is None or session.get(SESSION_VERSION) != user.session_version:
            return None  # an ended session (or a cookie from before versions) is no session
        return user

    @login_manager.unauthorized_handler
    def sign_in_first():
        if not g.get("session_ended"):
            flash("Sign in to continue.", "info")
        return redirect(login_url(login_manager.login_view, next_url=request.url))

    @app.before_request
    def end_ended_and_idle_sessions():
        if "_user_id" in session and not current_user.is_authenticated:
            session.clear()
            g.session_ended = True
            flash(ENDED_MESSAGE, "info")
            return
        # The cookie's expiry alone is up to the browser; the server decides when idle is too idle.
        if not current_user.is_authenticated:
            return
        now = time.time()
        idle_limit = app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
        last_seen = session.get("last_seen", now)
        if now - last_seen > idle_limit:
            logout_user()
            session.clear()
            g.session_ended = True
            flash("You were signed out because you had not used the service for a while.", "info")
            return
        session.permanent = True
        session["last_seen"] = now
