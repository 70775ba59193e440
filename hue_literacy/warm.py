"""Warm a server before it serves: the work its first visitors would otherwise wait for.

A process that has just started compiles each template the first time it draws it, reads
the translations, sets up the ORM's mappers and imports the QR code modules: the first
sign-in page cost 100 ms of CPU, the first lesson 120 ms and the first home page 45 ms,
against 4-7 ms each after (profiled in process). A ward PC is started in the morning, so that
fell on the first class of the day, 30 learners signing in at once, once in each worker.
gunicorn's master does it once before it forks its workers (gunicorn.conf.py `when_ready`, with
`preload_app`), so every worker starts warm and they share what it made.
"""
from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import configure_mappers

from hue_literacy.extensions import db

# Pages anyone may open without an account, drawn once each in every language, with the
# language's first lesson: the player's code is then warm for every lesson. Drawing each
# lesson would cost 0.7 s more at start to save 4 ms on each lesson's first page in a worker,
# which the worker keeps anyway (page_cache).
PUBLIC_PAGES = ("/sign-in", "/staff/sign-in", "/learn/{lang}/", "/learn/{lang}/my-progress")


def warm_up(app: Flask) -> None:
    """Compile every template, set up the ORM, and draw the public pages and a lesson once;
    then forget those pages (drawn for an address no phone uses) and close the database
    connections, which a forked worker must not share."""
    from hue_literacy.content.access import release

    with app.app_context():
        configure_mappers()
        for name in app.jinja_env.list_templates(filter_func=lambda name: name.endswith(".html")):
            app.jinja_env.get_template(name)
        lessons = release().lessons
    client = app.test_client()
    for lang in app.config["LANGUAGES"]:
        for page in PUBLIC_PAGES:
            client.get(page.format(lang=lang))
        for lesson_id in list(lessons.get(lang, {}))[:1]:
            client.get(f"/learn/{lang}/{lesson_id}")
    app.extensions["hue_page_cache"].clear()
    with app.app_context():
        db.engine.dispose()
