"""The area a consultation serves, as its consultation.yaml names it: local authorities by ONS code and name."""

from __future__ import annotations

import re
from typing import Any

# A local authority district's code in the ONS's GSS scheme: E06/E07/E08/E09 in England, W06, S12, N09.
ONS_AUTHORITY_CODE = re.compile(r"[ENSW][0-9]{8}")
EXAMPLE = "- {code: E08000012, name: Liverpool}"


def authorities_from_facts(facts: dict[str, Any]) -> dict[str, str]:
    """The local authorities served, each named once under its own ONS code: {"E08000012": "Liverpool", ...}."""
    areas = facts.get("areas") or []
    if not isinstance(areas, list):
        raise ValueError(f"areas: a list of local authority names, each with its ONS code, as {EXAMPLE}")
    names = [_name(entry) for entry in areas]
    if len(set(names)) != len(names):
        raise ValueError("areas: a local authority is named twice")
    authorities: dict[str, str] = {}
    for entry, name in zip(areas, names, strict=True):
        code = str(entry.get("code") or "").strip() if isinstance(entry, dict) else ""
        if not ONS_AUTHORITY_CODE.fullmatch(code):
            raise ValueError(f"areas: give {name} its ONS local authority code, as {EXAMPLE}")
        if code in authorities:
            raise ValueError(f"areas: the ONS code {code} is given twice")
        authorities[code] = name
    return authorities


def _name(entry: Any) -> str:
    name = entry.get("name") if isinstance(entry, dict) else entry
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"areas: a list of local authority names, each with its ONS code, as {EXAMPLE}")
    return " ".join(name.split())
