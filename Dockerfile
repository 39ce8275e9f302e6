# Leertraject: one image for the web process (gunicorn), the Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=leertraject.settings.production

WORKDIR /app

COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir -r requirements/base.txt

COPY . .

# Static files and compiled translations belong to the image; the throwaway key only
# lets the settings load during the build and is never used at run time.
RUN SECRET_KEY=build-only-never-used-at-run-time-0123456789 ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput -v0 \
    && pybabel -q compile --domain=django --directory=locale \
    && useradd --create-home --uid 1000 leertraject \
    && mkdir -p /app/media \
    && chown -R leertraject /app/media

USER leertraject
EXPOSE 8000
CMD ["gunicorn", "--config", "gunicorn.conf.py", "leertraject.wsgi:application"]
