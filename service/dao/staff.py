"""Staff accounts and sign-in bookkeeping.

Counts and versions change in one UPDATE ... RETURNING each (`failed_sign_ins + 1`, `session_version + 1`),
never read into Python and written back: two web processes updating the same account at once both count.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update

from service.dao import transactional
from service.dao.audit import record_audit
from service.extensions import db
from service.models import Role, StaffUser
from service.models.types import utcnow


def get_staff_by_id(user_id: int) -> StaffUser | None:
    return db.session.get(StaffUser, user_id)


def get_staff_by_username(username: str) -> StaffUser | None:
    return db.session.scalar(select(StaffUser).where(func.lower(StaffUser.username) == username.strip().lower()))


def list_staff() -> list[StaffUser]:
    """Every staff account, by name."""
    return list(db.session.scalars(select(StaffUser).order_by(func.lower(StaffUser.display_name), StaffUser.id)))


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


def _end_sessions(user_id: int) -> int:
    """Add one to the account's session version, ending every session signed in before; return the new one."""
    return db.session.execute(
        update(StaffUser)
        .where(StaffUser.id == user_id)
        .values(session_version=StaffUser.session_version + 1)
        .returning(StaffUser.session_version)
    ).scalar_one()


@transactional
def set_staff_password(user: StaffUser, password_hash: str, actor_id: int | None = None) -> int:
    """Replace a password, clear the failure count and end every session; return the new session version."""
    db.session.execute(
        update(StaffUser)
        .where(StaffUser.id == user.id)
        .values(password_hash=password_hash, failed_sign_ins=0, locked_until=None)
    )
    version = _end_sessions(user.id)
    record_audit(actor_id, "staff.password_set", "staff_user", user.id)
    return version


@transactional
def record_sign_in(user: StaffUser, source_address: str) -> None:
    """Clear the failure count after a good sign-in and audit it."""
    db.session.execute(update(StaffUser).where(StaffUser.id == user.id).values(failed_sign_ins=0, locked_until=None))
    record_audit(user.id, "staff.signed_in", "staff_user", user.id, source_address=source_address)


@transactional
def record_failed_sign_in(user_id: int | None, source_address: str, limited: bool = False) -> int | None:
    """Count a failed sign-in on an account (None: a name no account has) and audit it as an attempt on the
    account by nobody known: whoever typed the password is not necessarily its owner. Return the count."""
    count = None
    if user_id is not None:
        count = db.session.execute(
            update(StaffUser)
            .where(StaffUser.id == user_id)
            .values(failed_sign_ins=StaffUser.failed_sign_ins + 1, last_failed_sign_in_at=utcnow())
            .returning(StaffUser.failed_sign_ins)
        ).scalar_one()
    details: dict[str, Any] = {"source_address": source_address, **({"limited": True} if limited else {})}
    record_audit(None, "staff.sign_in_failed", "staff_user", user_id, **details)
    return count


@transactional
def record_sign_out(user: StaffUser) -> None:
    """Sign out: the session version moves on, so no copy of this session's cookie opens anything again."""
    _end_sessions(user.id)
    record_audit(user.id, "staff.signed_out", "staff_user", user.id)


@transactional
def set_staff_phone(user: StaffUser, phone: str | None) -> None:
    """Record (or remove) a member of staff's own phone, rung first for their callbacks."""
    user.phone = phone
    record_audit(user.id, "staff.phone_set", "staff_user", user.id, removed=phone is None)


@transactional
def sign_out_everywhere(user: StaffUser, actor_id: int) -> None:
    """End every session of one account (a supervisor's "Sign out everywhere")."""
    _end_sessions(user.id)
    record_audit(actor_id, "staff.signed_out_everywhere", "staff_user", user.id)


@transactional
def unlock_staff(user: StaffUser, actor_id: int) -> None:
    """Clear an account's failed sign-ins (a supervisor's unlock; its address locks are cleared beside this)."""
    db.session.execute(update(StaffUser).where(StaffUser.id == user.id).values(failed_sign_ins=0, locked_until=None))
    record_audit(actor_id, "staff.unlocked", "staff_user", user.id)
