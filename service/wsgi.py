"""The WSGI entry point for gunicorn: `gunicorn service.wsgi:app`.

gunicorn imports this in each web process (no preload), so each one warms up before it takes a request.
"""

from service import create_app
from service.warm_up import warm_up

app = create_app()
warm_up(app)
