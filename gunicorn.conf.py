"""gunicorn settings for a ward PC (`make run`; gunicorn reads this file from here by itself).

Two workers for the machine's two cores, four threads each for phones that wait on the
network; the app is loaded once before the workers are forked (preload), so they share its
code and content in memory instead of holding a copy each (see bench/memory.py).
"""
workers = 2
threads = 4
preload_app = True


def post_fork(server, worker):
    """A forked worker opens its own database connections, never the master's."""
    from hue_literacy.extensions import db
    from wsgi import app

    with app.app_context():
        db.engine.dispose(close=False)
