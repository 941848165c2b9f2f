"""gunicorn settings: workers from WEB_CONCURRENCY, port from PORT, no query strings in the access log."""

import os

# All interfaces by default, as platforms that run a Procfile expect; `make run` sets HOST=127.0.0.1.
bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '5000')}"  # noqa: S104
# Processes, not threads: requests here are CPU-bound Python (the ORM, templates, TwiML), and threads in
# one process queue behind its interpreter lock. Under 50 concurrent phone-menu callers on 2 cores,
# 4 processes x 1 thread gave a p99 of 54-64 ms on PostgreSQL against 116 ms for 2 x 4 (make bench).
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1))))
threads = int(os.environ.get("WEB_THREADS", "1"))
# gthread even with one thread: a sync worker sends nothing to the arbiter while it streams a response, so a
# download that takes longer than `timeout` (the whole audit trail as CSV, a large export) was killed part
# way and the file arrived cut short with no error. A gthread worker's main loop keeps saying it is alive.
worker_class = "gthread"
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
accesslog = "-"
# %(U)s is the path without its query string: searches carry names and postcodes.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn's control socket defaults to one per user (~/.gunicorn/gunicorn.ctl): a second service on the
# same machine would take over the first one's. Nothing here uses it, so it is off.
control_socket_disable = True
