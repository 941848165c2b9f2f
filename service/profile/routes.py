"""Your profile: the phone Twilio rings first when you call a caller back from the callback list."""

from __future__ import annotations

import logging

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from service.dao.staff import get_staff_by_id, set_staff_phone
from service.profile import bp
from service.profile.forms import ProfileForm

log = logging.getLogger(__name__)


@bp.route("", methods=["GET", "POST"])
@login_required
def index():
    user = get_staff_by_id(current_user.id)
    form = ProfileForm()
    if not form.is_submitted():
        form.phone.data = user.phone or ""
    if form.validate_on_submit():
        set_staff_phone(user, form.phone.normalised)
        log.info("Staff user %s set their phone", user.id)
        flash("Your phone number is saved." if user.phone else "Your phone number is removed.", "success")
        return redirect(url_for("profile.index"))
    return render_template("profile/index.html", form=form, user=user)
