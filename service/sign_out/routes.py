"""Sign out: the session ends here and its cookie is cleared."""

from __future__ import annotations

from flask import flash, redirect, session, url_for
from flask_login import current_user, login_required, logout_user

from service.dao.staff import record_sign_out
from service.sign_out import bp


@bp.route("", methods=["POST"])
@login_required
def sign_out():
    record_sign_out(current_user._get_current_object())
    logout_user()
    session.clear()
    flash("You have signed out.", "info")
    return redirect(url_for("sign_in.sign_in"))
