"""Gunicorn settings for CTG: `gunicorn -c deploy/gunicorn.conf.py ctg.wsgi`.

Web requests do no long work (documents and imports run as background jobs), so plain sync workers and a
30 s timeout fit. Each value can be changed through the environment without editing this file.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Sync workers, about two per core: each holds one request at a time and some 100 MB.
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))  # a request taking longer is killed and logged
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))  # on restart, time to finish requests
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))  # behind a load balancer that reuses connections
# Each worker is replaced after about 1 000 requests (staggered by the jitter, so they do not all restart at once):
# memory that a library keeps growing is given back.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))
# Logs on the standard streams, collected by systemd, Docker or the platform: access log on stdout.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
# The addresses of the reverse proxies whose X-Forwarded-* headers gunicorn trusts.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Heartbeat files in memory rather than on a possibly slow disk (containers).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
