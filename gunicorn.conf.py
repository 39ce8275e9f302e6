"""gunicorn settings for the web container; the values in capitals come from the environment."""

import multiprocessing
import os


def _int_from_env(name: str, default: int) -> int:
    """The variable as a number; unset, empty or 0 means the default."""
    value = int(os.environ.get(name, "").strip() or 0)
    return value or default


wsgi_app = "leertraject.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Sync workers: 2 × cores + 1, capped because a container often sees every core of its host.
workers = _int_from_env("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8))
threads = _int_from_env("GUNICORN_THREADS", 1)
timeout = _int_from_env("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 1000
max_requests_jitter = 100
# Heartbeat files in memory, not on the container's overlay file system.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# Access and error log to stdout/stderr, where docker-compose collects them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# The TLS proxy in front sets X-Forwarded-Proto; gunicorn only trusts it from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")
