"""Entry point for gunicorn: `gunicorn wsgi:app`."""
import gc

from hue_literacy import create_app

app = create_app()
# What was loaded at start is kept for good: the garbage collector then leaves those objects'
# pages untouched, so workers forked from a preloading master keep sharing them.
gc.freeze()
