"""A sign-in client for tests/auth/test_throttle_processes.py: one process, its own HTTP session, as a
script on another machine would be. Kept apart from the test so spawned processes import only this."""

from __future__ import annotations

import re

import requests


def try_passwords(base_url: str, address: str, attempts: list[tuple[str, str]], start, results) -> None:
    """Wait for the others at `start`, then try each (username, password) from `address`; put the statuses."""
    session = requests.Session()
    headers = {"X-Forwarded-For": address}  # the server trusts one proxy: this is the client's address
    page = session.get(f"{base_url}/sign-in", headers=headers, timeout=60).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    start.wait(120)
    statuses = []
    for username, password in attempts:
        data = {"username": username, "password": password, "csrf_token": token}
        response = session.post(f"{base_url}/sign-in", data=data, headers=headers, timeout=120, allow_redirects=False)
        statuses.append(response.status_code)
    results.put(statuses)
