"""The address a request comes from, for the sign-in limits and the audit trail.

Behind a proxy or a platform's router every request seems to come from that router, and all staff would
share one address's limit. `FORWARDED_PROXIES` says how many trusted proxies in front of the app add to
X-Forwarded-For (0, the default: none are trusted, so a client cannot claim whatever address it likes).
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix


def source_address() -> str:
    """The client's address as this app can trust it."""
    return request.remote_addr or "unknown"


def init_app(app: Flask) -> None:
    proxies = app.config["FORWARDED_PROXIES"]
    if proxies:
        # Werkzeug's documented way to put ProxyFix in front; mypy reads wsgi_app as a method, not an attribute.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=0, x_host=0, x_port=0, x_prefix=0
        )
