"""The request screens, by group: logging and finding requests; one request's packs; braille and audio files;
corrections and cancellation."""

from service.requests.routes import corrections, files, packs, requests, texts  # noqa: F401 (each module adds its views to bp)
