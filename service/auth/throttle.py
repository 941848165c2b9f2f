"""Sign-in limits that hold under parallel attempts and cannot be turned against a real user.

Three counts, each an atomic Redis INCR on a key that expires by itself (a fixed window):
- per source address, whatever the username: `SIGN_IN_ADDRESS_LIMIT` failures in `SIGN_IN_ADDRESS_MINUTES`
  stop that address for the rest of the window. One password tried against many usernames meets this.
- per username and source address: `SIGN_IN_LOCK_AFTER` failures lock that address out of that username for
  `SIGN_IN_LOCK_MINUTES`. Guessing one account's password from one place meets this; the account's owner,
  elsewhere, is not locked out: nobody can lock a real user out of their account from somewhere else.
- per username, from addresses it has never signed in from: `SIGN_IN_ACCOUNT_LIMIT` failures in
  `SIGN_IN_ACCOUNT_MINUTES` hold every such address for the rest of the window. Guessing from many addresses
  at once meets this; the owner, at an address they have signed in from before, is not held up.

Why Redis and not a table: these counts matter for minutes only, INCR is atomic across every web process,
and the keys expire by themselves, so a flood of made-up usernames or addresses leaves nothing to clean up.
The lasting count per account is in the database (`staff_users.failed_sign_ins`, added to by one UPDATE ...
RETURNING; the Staff accounts screen shows it).

Every count is keyed by the username as typed, whether or not an account has it, so an unknown name meets
the same limits as a real one and nothing tells an attacker which names exist. Each attempt is counted
before its password is checked (claimed): parallel attempts cannot all slip in under a limit, and one that
signs in hands its claim back. If Redis cannot be reached the limits are skipped, with a warning in the log,
rather than stopping every sign-in; the database count goes on.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
from dataclasses import dataclass

import redis
from flask import current_app

from service.queues import redis_connection

log = logging.getLogger(__name__)
FAMILIAR_DAYS = 90  # an address a username signed in from stays familiar this long after the last time
# Hand one back; a count that reaches 0 (or whose window ended meanwhile, so DECR made it -1) is removed,
# never left behind without its expiry.
_GIVE_BACK = "local left = redis.call('DECR', KEYS[1]) if left <= 0 then redis.call('DEL', KEYS[1]) end return left"


@dataclass(frozen=True)
class Claim:
    """One sign-in attempt, counted: whether a limit stops it before its password is checked."""

    address_stopped: bool = False  # this address has failed too often, whatever the username
    account_stopped: bool = False  # this username is locked at this address, or held at unfamiliar ones
    counted: tuple[str, ...] = ()  # the keys this attempt added one to


def address_group(address: str) -> str:
    """The address a limit counts: an IPv6 address by its /64 (one household or server gets a whole /64)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _name(username: str) -> str:
    # Hashed: a typed username can be anything (3,000 characters, a pasted password); keys stay short.
    return hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]


def _keys(username: str, address: str) -> dict[str, str]:
    name, where = _name(username), address_group(address)
    return {
        "address": f"sign-in:address:{where}",
        "pair": f"sign-in:pair:{name}:{where}",
        "account": f"sign-in:account:{name}",
        "familiar": f"sign-in:familiar:{name}",
    }


def claim_attempt(username: str, address: str) -> Claim:
    """Count one sign-in attempt before its password is checked; say whether a limit stops it."""
    config = current_app.config
    keys = _keys(username, address)
    try:
        connection = redis_connection()
        familiar = bool(connection.sismember(keys["familiar"], address_group(address)))
        counts = [
            (keys["address"], config["SIGN_IN_ADDRESS_LIMIT"], config["SIGN_IN_ADDRESS_MINUTES"]),
            (keys["pair"], config["SIGN_IN_LOCK_AFTER"], config["SIGN_IN_LOCK_MINUTES"]),
        ]
        if not familiar:
            counts.append((keys["account"], config["SIGN_IN_ACCOUNT_LIMIT"], config["SIGN_IN_ACCOUNT_MINUTES"]))
        pipe = connection.pipeline()  # MULTI ... EXEC: all counted together
        for key, _, minutes in counts:
            pipe.set(key, 0, ex=minutes * 60, nx=True)  # a window starts with the first failure in it
            pipe.incr(key)  # INCR keeps the expiry the window started with
        totals = pipe.execute()[1::2]
    except redis.RedisError:
        log.warning("Sign-in limits skipped: Redis could not be reached", exc_info=True)
        return Claim()
    over = [total > limit for total, (_, limit, _) in zip(totals, counts, strict=True)]
    return Claim(address_stopped=over[0], account_stopped=any(over[1:]), counted=tuple(key for key, _, _ in counts))


def hand_back(claim: Claim, username: str, address: str) -> None:
    """After a good sign-in: give the claim back, clear this address's lock on the username, remember it."""
    keys = _keys(username, address)
    try:
        connection = redis_connection()
        give_back = connection.register_script(_GIVE_BACK)
        pipe = connection.pipeline()
        for key in claim.counted:
            if key != keys["pair"]:
                give_back(keys=[key], client=pipe)
        pipe.delete(keys["pair"])
        pipe.sadd(keys["familiar"], address_group(address))
        pipe.expire(keys["familiar"], FAMILIAR_DAYS * 86400)
        pipe.execute()
    except redis.RedisError:
        log.warning("Sign-in limits not updated: Redis could not be reached", exc_info=True)


@dataclass(frozen=True)
class Locks:
    """What stops a username signing in now (for the Staff accounts screen)."""

    addresses: int  # addresses locked out of it after too many failures from each
    new_addresses_held: bool  # too many failures from unfamiliar addresses: only familiar ones get in


def locks_on(username: str) -> Locks:
    """The locks on `username` now."""
    config = current_app.config
    name = _name(username)
    connection = redis_connection()
    pairs = list(connection.scan_iter(match=f"sign-in:pair:{name}:*", count=1000))
    counts = [int(value) for value in (connection.mget(pairs) if pairs else []) if value is not None]
    held = int(connection.get(f"sign-in:account:{name}") or 0) >= config["SIGN_IN_ACCOUNT_LIMIT"]
    return Locks(sum(1 for count in counts if count >= config["SIGN_IN_LOCK_AFTER"]), held)


def unlock(username: str) -> None:
    """Clear every lock on `username` (a supervisor's unlock); address limits stay, they are not this account's."""
    name = _name(username)
    connection = redis_connection()
    keys = [*connection.scan_iter(match=f"sign-in:pair:{name}:*", count=1000), f"sign-in:account:{name}"]
    connection.delete(*keys)
