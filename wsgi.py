"""Entry point for gunicorn: `gunicorn wsgi:app`."""
import gc

from hue_literacy import create_app
from hue_literacy.warm import warm_up

app = create_app()
# Loaded by gunicorn's master before it forks the workers (preload_app): warmed here once,
# every worker starts with compiled templates and translations (hue_literacy/warm.py).
warm_up(app)
# What was loaded at start is kept for good: the garbage collector then leaves those objects'
# pages untouched, so workers forked from a preloading master keep sharing them.
gc.freeze()
