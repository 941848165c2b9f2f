"""Password hashing (Argon2id); what makes a new password acceptable is in password_policy.py."""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

# Argon2id at OWASP's recommended minimum (Password Storage Cheat Sheet: 19 MiB, 2 passes, 1 lane). One lane,
# because each gunicorn process serves one request at a time on a shared core: more lanes only queue behind
# each other (argon2-cffi's default, 64 MiB x 3 passes x 4 lanes, took 1.1 to 1.5 s a sign-in here). Raise
# memory first if sign-ins can afford it; `make bench` section 6 times both. Existing hashes keep verifying:
# each hash carries its own parameters.
TIME_COST = 2
MEMORY_COST_KIB = 19 * 1024
PARALLELISM = 1
_hasher = PasswordHasher(
    time_cost=TIME_COST, memory_cost=MEMORY_COST_KIB, parallelism=PARALLELISM, hash_len=32, salt_len=16, type=Type.ID
)
# A dummy hash to verify against when the username is unknown, so timing does not reveal which names exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password-for-timing")


def hash_password(password: str) -> str:
    """Hash a password with Argon2id."""
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Say whether `password` matches `stored_hash` (None: no such account, still takes the same time)."""
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False
