"""Security headers on every response."""

from flask import Flask, request


def init_app(app: Flask) -> None:
    @app.after_request
    def add_headers(response):
        # No inline script or style anywhere, so the policy can be strict.
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.endpoint != "static":
            # Staff pages, downloads (print files, packs, exports) and webhook answers hold personal data:
            # nothing but the static files may be kept by a browser or a shared cache. Set, not defaulted:
            # send_file's own "no-cache" lets a browser store the file (it only revalidates before reuse).
            response.headers["Cache-Control"] = "no-store"
        return response
