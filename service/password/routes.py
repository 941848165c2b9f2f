"""Change your own password: the current one, then a new one; every other session ends."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from service.auth.password_policy import new_password_problem
from service.auth.passwords import hash_password, verify_password
from service.auth.session import start_session
from service.auth.source_address import source_address
from service.auth.throttle import claim_attempt, hand_back
from service.dao.staff import set_staff_password
from service.password import bp
from service.password.forms import ChangePasswordForm


@bp.route("", methods=["GET", "POST"])
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
    return render_template("password/change_password.html", form=form)
