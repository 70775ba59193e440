"""Entry point for gunicorn (`gunicorn wsgi:app`) and the `flask --app wsgi` commands.

gunicorn's master warms the app before it forks the workers (gunicorn.conf.py `when_ready`,
hue_literacy/warm.py); importing this module only makes it, so a command such as `flask db
upgrade` neither pays for the warm-up nor draws pages before the tables exist.
"""
from hue_literacy import create_app

app = create_app()
