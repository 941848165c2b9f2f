"""The one worker entry point: `python -m workers`.

Builds the app once, preloads what every job needs, then runs an rq worker (with rq's scheduler)
on exactly the queues named in service.queues.
"""

from __future__ import annotations

import logging
import sys

from rq import Worker
from rq.serializers import JSONSerializer

from service import create_app
from service.queues import QUEUE_NAMES, redis_connection

log = logging.getLogger("service.worker")


def preload() -> None:
    """Import ReportLab and register fonts before the first job, so no job pays for it."""
    import reportlab.pdfgen.canvas  # noqa: F401

    try:
        from service.packs import fonts

        fonts.register_fonts()
    except ImportError:  # packs not installed in this build
        pass


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    burst = "--burst" in argv
    app = create_app()
    with app.app_context():
        preload()
        connection = redis_connection()
        worker = Worker(list(QUEUE_NAMES), connection=connection, serializer=JSONSerializer)
        log.info("Worker listening on queues: %s", ", ".join(QUEUE_NAMES))
        worker.work(burst=burst, with_scheduler=True, logging_level=app.config["LOG_LEVEL"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
