"""Settings for `make run`: SQLite, mail to the console, tasks in process."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="local-development-only-not-secret")
# runserver serves static files from the app folders; no collectstatic needed.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Templates change while developing; a kept harvest report would hide the change (on PostgreSQL).
CACHES = {**CACHES, "reports": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}  # noqa: F405
