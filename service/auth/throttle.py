"""Slow, then lock, repeated failed sign-ins to one account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from service.models import StaffUser

MAX_WAIT_SECONDS = 60


@dataclass(frozen=True)
class Gate:
    allowed: bool
    wait_seconds: int = 0
    locked: bool = False


def gate_for(user: StaffUser | None, now: datetime, slow_after: int) -> Gate:
    """Say whether a sign-in attempt for `user` may be tried now."""
    if user is None:
        return Gate(allowed=True)
    if user.locked_until and user.locked_until > now:
        return Gate(allowed=False, locked=True)
    if user.failed_sign_ins >= slow_after and user.last_failed_sign_in_at:
        # Each failure past the threshold doubles the wait: 2 s, 4 s, 8 s... up to a minute.
        wait = min(2 ** (user.failed_sign_ins - slow_after + 1), MAX_WAIT_SECONDS)
        ready_at = user.last_failed_sign_in_at + timedelta(seconds=wait)
        if ready_at > now:
            return Gate(allowed=False, wait_seconds=max(1, int((ready_at - now).total_seconds() + 0.999)))
    return Gate(allowed=True)


def lock_until_after_failure(user: StaffUser, now: datetime, lock_after: int, lock_minutes: int) -> datetime | None:
    """Return when the account unlocks if this failure locks it, else None."""
    if user.failed_sign_ins + 1 >= lock_after:
        return now + timedelta(minutes=lock_minutes)
    return None
