"""gunicorn settings for Academy: `gunicorn -c gunicorn.conf.py wsgi:app`.

Every value can be overridden from the environment (GUNICORN_CMD_ARGS) or the command line.
"""

import multiprocessing
import os

bind = os.environ.get("ACADEMY_BIND", "127.0.0.1:8000")
# Sync workers: pages are small and quick; two per core plus one keeps the CPU busy while one
# waits on the database.
workers = int(os.environ.get("ACADEMY_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A whole course pack takes a few seconds to build the first time; nothing else comes close.
timeout = 60
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so that no slow leak grows for weeks.
max_requests = 2000
max_requests_jitter = 200
# Each worker opens its own database connections after the fork.
preload_app = False

# Logs without personal data: no client address, no query string, no referrer, no user agent.
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = "info"
