"""Entry point for gunicorn: `gunicorn wsgi:app`."""
from hue_literacy import create_app

app = create_app()
