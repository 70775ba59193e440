"""Lesson pages drawn once and kept (page_cache): the same page, never another visitor's."""
from __future__ import annotations

import pytest
from flask import template_rendered

from hue_literacy.content.access import EXTENSION_KEY
from hue_literacy.extensions import db
from hue_literacy.page_cache import PageCache
from tests.content_fixtures import ContentTree
from tests.factories import AmbassadorFactory, LearnerFactory

KEPT = ("/learn/vi/", "/learn/en/", "/learn/vi/safe-otp-never-share", "/learn/vi/my-progress")


@pytest.fixture
def kept(app):
    """An empty cache for this test (the app is shared), and a count of pages drawn."""
    app.extensions["hue_page_cache"] = PageCache()
    drawn: list[str] = []

    def record(_sender, template, context, **_extra):
        drawn.append(template.name)

    template_rendered.connect(record, app)
    yield drawn
    template_rendered.disconnect(record, app)


@pytest.mark.parametrize("url", KEPT)
def test_a_kept_page_is_drawn_once_and_served_the_same_after(app, client, kept, url):
    first = client.get(url)
    assert first.status_code == 200 and len(kept) == 1
    again = client.get(url)
    assert again.get_data() == first.get_data()
    assert len(kept) == 1  # the second visitor got the kept page
    assert again.headers["ETag"] == first.headers["ETag"]


def test_a_phone_that_has_the_page_gets_304_without_the_body(client, kept):
    first = client.get("/learn/vi/safe-otp-never-share")
    again = client.get("/learn/vi/safe-otp-never-share",
                       headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    other = client.get("/learn/vi/safe-otp-never-share", headers={"If-None-Match": '"old"'})
    assert other.status_code == 200 and other.get_data() == first.get_data()


@pytest.mark.parametrize(("asked", "encoding"), [
    ("gzip, deflate, br", "br"), ("gzip", "gzip"), ("br;q=0, gzip", "gzip"), ("", None)])
def test_a_kept_page_comes_compressed_as_the_phone_asks_and_304_when_unchanged(
        client, kept, asked, encoding):
    import gzip

    import brotli

    plain = client.get("/learn/vi/").get_data()
    first = client.get("/learn/vi/", headers={"Accept-Encoding": asked})
    assert first.headers.get("Content-Encoding") == encoding
    assert "Accept-Encoding" in first.headers["Vary"]
    body = first.get_data()
    unpack = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[encoding]
    assert unpack(body) == plain
    if encoding:
        assert len(body) < len(plain) / 3  # what a phone on 3G pays for
    again = client.get("/learn/vi/", headers={"Accept-Encoding": asked,
                                              "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""


def test_staff_learners_and_guests_get_the_same_page_without_the_server_asking_who(
        app, client, auth, kept):
    """Nothing of the visitor on it, and serving it reads nothing from the database."""
    from sqlalchemy import event

    with app.app_context():
        learner = LearnerFactory()
        staff = AmbassadorFactory()
        db.session.commit()
        engine = db.engine
    url = "/learn/vi/safe-otp-never-share"
    pages = {"guest": client.get(url)}
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        for name, person in (("staff", staff), ("learner", learner)):
            auth.as_user(person)
            pages[name] = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert statements == []
    bodies = {page.get_data(as_text=True) for page in pages.values()}
    assert len(bodies) == 1
    body = bodies.pop()
    assert learner.full_name not in body and staff.full_name not in body
    assert "csrf_token" not in body and "staff.js" not in body
    assert all(page.headers["Cache-Control"] == "no-cache" for page in pages.values())


def test_practice_codes_carry_the_address_the_page_was_asked_on(app, client, kept):
    """A phone in the ward hall (LAN address) and one outside each get codes for theirs."""
    hall = client.get("/learn/vi/qr-ward-notice", base_url="http://192.168.1.10:8000")
    public = client.get("/learn/vi/qr-ward-notice", base_url="https://hocso.example")
    assert hall.get_data() != public.get_data()
    assert b"hocso.example" not in hall.get_data()


def test_a_new_content_release_shows_its_new_lesson_text(app, client, kept, tmp_path):
    tree = ContentTree(tmp_path)
    from hue_literacy.content.release import load_release

    app.extensions[EXTENSION_KEY] = load_release(tree.root)
    before = client.get("/learn/vi/safe-spot").get_data(as_text=True)
    tree.edit("safe-spot", lambda data: data.update(title="Một tiêu đề mới"))
    app.extensions[EXTENSION_KEY] = load_release(tree.root)
    after = client.get("/learn/vi/safe-spot").get_data(as_text=True)
    assert "Một tiêu đề mới" in after and "Một tiêu đề mới" not in before


def test_the_cache_keeps_a_bounded_number_of_pages_the_least_used_going_first():
    cache = PageCache(size=2)
    cache.get_or_draw("a", lambda: "A")
    cache.get_or_draw("b", lambda: "B")
    cache.get_or_draw("a", lambda: "never drawn again")
    cache.get_or_draw("c", lambda: "C")  # "b" was used least recently
    assert len(cache) == 2
    assert cache.get_or_draw("a", lambda: "A2").body == b"A"
    assert cache.get_or_draw("b", lambda: "B2").body == b"B2"


def test_a_page_first_drawn_for_staff_is_the_page_a_guest_would_get(app, client, auth, kept):
    """Whoever asks first, the kept page is the same: nothing of them is drawn into it."""
    with app.app_context():
        staff = AmbassadorFactory()
        db.session.commit()
    url = "/learn/en/safe-otp-never-share"
    auth.as_user(staff)
    for_staff = client.get(url).get_data()
    app.extensions["hue_page_cache"].clear()
    guest = app.test_client().get(url).get_data()
    assert len(kept) == 2 and for_staff == guest


def test_a_warmed_server_has_every_template_ready_and_keeps_no_page_drawn_for_itself(
        fresh_app):
    """gunicorn's master warms the app before forking (gunicorn.conf.py): the workers start with
    every template compiled, and with no page drawn for the address the master used."""
    from hue_literacy.warm import warm_up

    warm_up(fresh_app)
    env = fresh_app.jinja_env
    compiled = {name for _loader, name in env.cache}
    assert set(env.list_templates(filter_func=lambda name: name.endswith(".html"))) <= compiled
    assert len(fresh_app.extensions["hue_page_cache"]) == 0
    client = fresh_app.test_client()
    assert client.get("/sign-in").status_code == 200
    assert client.get("/learn/vi/safe-otp-never-share").status_code == 200
    assert client.get("/learn/en/").status_code == 200
