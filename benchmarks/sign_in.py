"""Section 6: signing in. The Argon2id parameters this service uses against argon2-cffi's defaults (what it
used before), each timed verifying a correct password, as a sign-in does, in this process on one core."""

from __future__ import annotations

import statistics
import time

from argon2 import PasswordHasher

from service.auth import passwords

PASSWORD = "correct-horse-battery-staple"


def verify_times(hasher: PasswordHasher, rounds: int) -> list[float]:
    """Milliseconds per verification of a correct password, `rounds` times."""
    stored = hasher.hash(PASSWORD)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        hasher.verify(stored, PASSWORD)
        times.append((time.perf_counter() - started) * 1000)
    return times


def measure(rounds: int) -> dict[str, float]:
    """Median and p95 milliseconds for the service's parameters and for argon2-cffi's defaults."""
    chosen = verify_times(passwords._hasher, rounds)
    default = verify_times(PasswordHasher(), rounds)

    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]

    return {
        "chosen_p50": statistics.median(chosen),
        "chosen_p95": p95(chosen),
        "default_p50": statistics.median(default),
        "default_p95": p95(default),
    }


def parameters_text() -> str:
    return f"Argon2id m={passwords.MEMORY_COST_KIB // 1024} MiB, t={passwords.TIME_COST}, p={passwords.PARALLELISM}"
