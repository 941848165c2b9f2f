"""Staff accounts and sign-in bookkeeping."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from service.dao import transactional
from service.dao.audit import record_audit
from service.extensions import db
from service.models import Role, StaffUser


def get_staff_by_id(user_id: int) -> StaffUser | None:
    return db.session.get(StaffUser, user_id)


def get_staff_by_username(username: str) -> StaffUser | None:
    return db.session.scalar(select(StaffUser).where(func.lower(StaffUser.username) == username.strip().lower()))


@transactional
def create_staff(
    username: str, display_name: str, role: Role, password_hash: str, actor_id: int | None = None
) -> StaffUser:
    """Create a staff account."""
    user = StaffUser(
        username=username.strip().lower(), display_name=display_name, role=role, password_hash=password_hash
    )
    db.session.add(user)
    db.session.flush()
    record_audit(actor_id, "staff.created", "staff_user", user.id, role=role.value)
    return user


@transactional
def set_staff_password(user: StaffUser, password_hash: str, actor_id: int | None = None) -> None:
    """Replace a password and clear any lock."""
    user.password_hash = password_hash
    user.failed_sign_ins = 0
    user.locked_until = None
    record_audit(actor_id, "staff.password_set", "staff_user", user.id)


@transactional
def record_sign_in(user: StaffUser) -> None:
    """Clear the failure count after a good sign-in and audit it."""
    user.failed_sign_ins = 0
    user.locked_until = None
    record_audit(user.id, "staff.signed_in", "staff_user", user.id)


@transactional
def record_failed_sign_in(user: StaffUser | None, now: datetime, lock_until: datetime | None) -> None:
    """Count a failed sign-in (and lock the account when told to); unknown names are audited too."""
    if user is not None:
        user.failed_sign_ins += 1
        user.last_failed_sign_in_at = now
        if lock_until is not None:
            user.locked_until = lock_until
    record_audit(
        user.id if user else None,
        "staff.sign_in_failed",
        "staff_user",
        user.id if user else None,
        locked=lock_until is not None,
    )


@transactional
def record_sign_out(user: StaffUser) -> None:
    record_audit(user.id, "staff.signed_out", "staff_user", user.id)


@transactional
def set_staff_phone(user: StaffUser, phone: str | None) -> None:
    """Record (or remove) a member of staff's own phone, rung first for their callbacks."""
    user.phone = phone
    record_audit(user.id, "staff.phone_set", "staff_user", user.id, removed=phone is None)
