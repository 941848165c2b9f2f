"""The request screens, by group: logging and finding requests; one request's packs."""

from service.requests.routes import packs, requests  # noqa: F401 (each module adds its views to bp)
