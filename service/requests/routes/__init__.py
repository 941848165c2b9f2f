"""The request screens, by group: logging and finding requests; one request's packs; braille and audio files."""

from service.requests.routes import files, packs, requests  # noqa: F401 (each module adds its views to bp)
