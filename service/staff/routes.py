"""Staff accounts: the list, unlocking an account, and signing an account out everywhere (each confirmed)."""

from __future__ import annotations

import logging

import redis
from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from service.auth import role_required
from service.auth.throttle import locks_on, unlock
from service.confirm import Confirmation, render_confirmation
from service.dao.staff import get_staff_by_id, list_staff, sign_out_everywhere, unlock_staff
from service.models import Role
from service.staff import bp
from service.web import get_or_404

log = logging.getLogger(__name__)
supervisors = role_required(Role.SUPERVISOR)


@bp.get("")
@supervisors
def index():
    accounts = list_staff()
    try:
        locked = {account.id: locks_on(account.username) for account in accounts}
    except redis.RedisError:
        log.warning("Staff accounts: sign-in locks unknown, Redis could not be reached", exc_info=True)
        locked = None
    return render_template("staff/index.html", accounts=accounts, locked=locked)


@bp.get("/<int:user_id>/unlock")
@supervisors
def confirm_unlock(user_id: int):
    account = get_or_404(get_staff_by_id, user_id)
    return render_confirmation(
        Confirmation(
            question=f"Unlock {account.display_name}'s account?",
            consequences=[
                f"{account.display_name} can sign in again at once, from any computer.",
                "Their count of failed sign-ins starts again from nought. Do this only once you know the "
                "failed sign-ins were theirs (a forgotten password), not someone else's.",
            ],
            action=url_for("staff.unlock_account", user_id=account.id),
            button="Unlock the account",
            back_url=url_for("staff.index"),
            back_label="No, go back to staff accounts",
        )
    )


@bp.post("/<int:user_id>/unlock")
@supervisors
def unlock_account(user_id: int):
    account = get_or_404(get_staff_by_id, user_id)
    unlock_staff(account, current_user.id)
    try:
        unlock(account.username)
    except redis.RedisError:
        log.warning("Staff account %s: address locks not cleared, Redis could not be reached", account.id)
        flash("The failed sign-ins were cleared, but the service could not clear the locks: try again.", "error")
        return redirect(url_for("staff.index"))
    flash(f"{account.display_name}'s account is unlocked.", "success")
    return redirect(url_for("staff.index"))


@bp.get("/<int:user_id>/sign-out-everywhere")
@supervisors
def confirm_sign_out_everywhere(user_id: int):
    account = get_or_404(get_staff_by_id, user_id)
    yourself = account.id == current_user.id
    return render_confirmation(
        Confirmation(
            question="Sign yourself out everywhere?" if yourself else f"Sign {account.display_name} out everywhere?",
            consequences=[
                "Every session of this account ends at once, on every computer and browser"
                + (", this one included: you will need to sign in again." if yourself else "."),
                "Anything typed but not yet saved in those sessions is lost. The password does not change: if "
                "it may be known to someone else, ask for it to be changed too.",
            ],
            action=url_for("staff.sign_out_everywhere_account", user_id=account.id),
            button="Sign out everywhere",
            danger=True,
            back_url=url_for("staff.index"),
            back_label="No, go back to staff accounts",
        )
    )


@bp.post("/<int:user_id>/sign-out-everywhere")
@supervisors
def sign_out_everywhere_account(user_id: int):
    account = get_or_404(get_staff_by_id, user_id)
    sign_out_everywhere(account, current_user.id)
    flash(f"{account.display_name} has been signed out everywhere.", "success")
    return redirect(url_for("staff.index"))
