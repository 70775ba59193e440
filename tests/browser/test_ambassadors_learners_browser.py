"""A learner registered by an ambassador with no network, in Chromium: the form opens from
the phone's offline shell, the PIN waits sealed (never in plain text), the registration is
sent when the network is back, the sign-in card prints once it is stored,
and signing out leaves nothing of the ward on the phone."""
from __future__ import annotations

import json

from playwright.sync_api import expect
from sqlalchemy import select
from werkzeug.security import check_password_hash

from hue_literacy.accounts.models import User
from hue_literacy.extensions import db
from tests.browser.conftest import screenshot
from tests.browser.test_ambassadors_offline_browser import (
    launch_phone,
    offline_problems,
    offline_ready,
    staff_ready,
)
from tests.browser.test_households_browser import (
    ambassador_home,  # noqa: F401 (a fixture)
    sign_in,
)
from tests.browser.test_player_browser import read_store, wait_for


def learner_named(app, name: str):
    with app.app_context():
        return db.session.scalar(select(User).where(User.full_name == name))


def test_a_learner_registered_offline_is_sent_by_background_sync_and_the_card_prints(
    app, browser, ambassador_home, live_server, tmp_path  # noqa: F811
):
    context, page = launch_phone(browser, tmp_path / "phone", offline=False)
    sign_in(page, live_server)
    page.goto(f"{live_server}/households/")
    staff_ready(page)
    offline_ready(page)
    context.close()

    context, page = launch_phone(browser, tmp_path / "phone", offline=True)
    page.goto(f"{live_server}/learners/new")
    form = page.locator("#staff-shell form[data-household-op=learner_registered]")
    expect(form).to_be_visible()
    form.locator("#full_name").fill("Võ Thị Tám")
    form.locator("#phone").fill("0905 111 222")
    form.locator("#pin").fill("1111")  # too easy: said on the phone, nothing queued
    form.locator("#consent").check()
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-phone-check=pin_easy]")).to_be_visible()
    assert read_store(page, "ops", database="hue-households") == []
    page.locator("#staff-shell #pin").fill("2580")
    page.locator("#staff-shell form button[type=submit]").click()
    pending = page.locator("#staff-shell .card", has_text="Võ Thị Tám")
    expect(pending.locator(".badge--waiting")).to_be_visible()
    assert page.url.endswith("/learners/")
    (op,) = read_store(page, "ops", database="hue-households")
    assert "pin" not in op["payload"] and op["sealed_pin"]
    # Sealed: the PIN is not kept in plain text (the random id and the times may hold any digits).
    typed = {key: value for key, value in op.items()
             if key not in ("id", "occurred_at", "queued_at")}
    assert "2580" not in json.dumps(typed)
    screenshot(page, "ambassadors-learner-offline-360")
    assert offline_problems(page) == []
    context.close()

    # Back in reach of the network: the first staff page (or Background Sync) sends it.
    context, page = launch_phone(browser, tmp_path / "phone", offline=False)
    page.goto(f"{live_server}/households/")
    assert wait_for(lambda: learner_named(app, "Võ Thị Tám") is not None, 60), \
        "the registration was not sent"
    learner = learner_named(app, "Võ Thị Tám")
    assert learner.phone == "0905111222" and check_password_hash(learner.secret_hash, "2580")

    page.goto(f"{live_server}/households/offline?view=changes")
    ready = page.locator("[data-outcome=learner]")
    expect(ready).to_contain_text("Võ Thị Tám đã được đăng ký.")
    ready.get_by_role("link", name="In thẻ đăng nhập").click()
    page.wait_for_url(f"**/learners/{learner.id}/card")
    expect(page.locator("main")).to_contain_text("Võ Thị Tám")

    # Signing out deletes the ward copy, the keys and the cached shell.
    page.goto(f"{live_server}/households/")
    staff_ready(page)
    page.locator("details[data-menu] summary").click()  # sign-out sits in the header's menu
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(f"{live_server}/")
    assert read_store(page, "ward", database="hue-households") == []
    assert read_store(page, "keys", database="hue-households") == []
    page.wait_for_function(
        "async () => !(await (await caches.open('hue-staff')).match('/households/offline'))")
    assert page.problems.messages == []
    context.close()
