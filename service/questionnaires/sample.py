"""The verification sample under single entry: which returns are keyed a second time.

Chosen from the return's id alone, so anyone can reproduce the sample later and a keyer cannot steer it.
"""

from __future__ import annotations

import hashlib


def in_verification_sample(return_id: int, percent: int) -> bool:
    """Say whether return `return_id` falls in a `percent`% sample (0 keys none again, 100 keys all)."""
    digest = hashlib.sha256(f"survey-line-return-{return_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 100 < percent
