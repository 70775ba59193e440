"""gunicorn settings for a ward PC (`make run`; gunicorn reads this file from here by itself).

Two workers for the machine's two cores: a page is Python work (templates, queries), and one
process runs Python on one core at a time, so more workers add memory, not speed. Four
threads each, so a request waiting on the database's write lock or a slow phone does not
hold up the pages behind it, and the teacher's live list is answered while 30 learners sign
in at once (bench/class_day.py; more threads only share the same core more finely). The app is
loaded once before the workers are forked (preload), so they share its code and content in
memory instead of holding a copy each (see bench/memory.py).

Connections are kept open 10 s between requests: a phone opens the next page a few seconds
later, and with gunicorn's default 2 s it often sent it just as the server closed the
connection, and got an error instead of the page (bench/load_test.py). An open connection
waits in the worker's poller, not in a thread.
"""
workers = 2
threads = 4
keepalive = 10
preload_app = True


def when_ready(server):
    """In the master, once the app is loaded (preload_app) and before any worker is forked:
    warm it once (hue_literacy/warm.py), so every worker starts with compiled templates and
    translations; then keep what was loaded for good (gc.freeze): the garbage collector leaves
    those objects' pages untouched, so the forked workers keep sharing them."""
    import gc

    from hue_literacy.warm import warm_up
    from wsgi import app

    warm_up(app)
    gc.freeze()


def post_fork(server, worker):
    """A forked worker opens its own database connections, never the master's."""
    from hue_literacy.extensions import db
    from wsgi import app

    with app.app_context():
        db.engine.dispose(close=False)
