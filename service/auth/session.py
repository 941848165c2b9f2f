"""Flask-Login wiring and the idle timeout for staff sessions."""

from __future__ import annotations

import time

from flask import Flask, flash, session
from flask_login import current_user, logout_user

from service.extensions import login_manager


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str):
        from service.dao.staff import get_staff_by_id

        return get_staff_by_id(int(user_id)) if user_id.isdigit() else None

    @app.before_request
    def end_idle_sessions():
        # The cookie's expiry alone is up to the browser; the server decides when idle is too idle.
        if not current_user.is_authenticated:
            return
        now = time.time()
        idle_limit = app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
        last_seen = session.get("last_seen", now)
        if now - last_seen > idle_limit:
            logout_user()
            session.clear()
            flash("You were signed out because you had not used the service for a while.", "info")
            return
        session.permanent = True
        session["last_seen"] = now
