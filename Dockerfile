# Leertraject: one image for the web process (gunicorn), the Celery worker and Celery beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=leertraject.settings.production

# The processes run as this user; the code stays owned by root, so they cannot change it.
RUN useradd --no-log-init --create-home --uid 1000 --user-group leertraject

WORKDIR /app

# WeasyPrint (the harvest report's PDF) lays text out with Pango and HarfBuzz; the slim image
# has no fonts at all, so DejaVu comes along.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# Pinned runtime dependencies first, so a code change does not reinstall them.
COPY requirements/base.txt requirements/base.txt
RUN pip install -r requirements/base.txt

COPY . .

# Static files and compiled translations belong to the image. The throwaway key only lets
# the production settings load during the build; it is never used at run time.
RUN SECRET_KEY=build-only-throwaway-key-never-used-at-run-time ALLOWED_HOSTS=localhost \
        python manage.py collectstatic --noinput -v0 \
    && pybabel -q compile --domain=django --directory=locale \
    && pybabel -q compile --domain=django --directory=locale_allauth \
    && mkdir -p /app/media \
    && chown leertraject:leertraject /app/media

USER leertraject
EXPOSE 8000
CMD ["gunicorn", "--config", "gunicorn.conf.py"]
