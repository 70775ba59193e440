"""The offline queues in real Chromium: a household change and a learner's answers made
offline are sent by Background Sync after their page is closed (Chromium fires the `sync`
event itself when the network comes back); a change the server refuses is shown and kept
aside; with no service worker, the page sends answers itself, tries again after a failure
and never says "sending" for ever."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from hue_literacy.content.access import release
from hue_literacy.extensions import db
from hue_literacy.households.models import Household, HouseholdMember, HouseholdOp, Visit
from hue_literacy.sync.models import ProgressEvent
from tests.browser.conftest import PHONE, PageProblems, screenshot
from tests.browser.readable import ZOOM_200, reading_problems
from tests.browser.test_households_browser import (
    ambassador_home,  # noqa: F401 (a fixture)
    visits,
)
from tests.browser.test_households_browser import sign_in as sign_in_ambassador
from tests.browser.test_player_browser import (
    answer_wrong_then_right,
    open_lesson,
    read_store,
    sign_in,
    wait_for,
)
from tests.factories import LearnerFactory


@pytest.fixture
def learner(app):
    with app.app_context():
        person = LearnerFactory(full_name="Lê Thị Mai", phone="0912000333")
        db.session.commit()
        return {"id": person.id, "phone": person.phone}


def new_phone(browser, service_workers: str):
    context = browser.new_context(viewport=PHONE, locale="vi-VN", service_workers=service_workers)
    page = context.new_page()
    page.problems = PageProblems(page)
    return context, page


def read_household_store(page, store: str = "ops") -> list[dict]:
    """Everything in one store of the households' queue database on the phone."""
    return read_store(page, store, database="hue-households")


def stored_events(app, learner_id: int) -> list[ProgressEvent]:
    with app.app_context():
        return list(db.session.scalars(
            select(ProgressEvent).where(ProgressEvent.learner_id == learner_id)))


def answer_one_choice(app, page, live_server) -> str:
    """Open the first lesson with a multiple-choice step, do the steps before it and answer
    it wrong, then right; returns its step id."""
    with app.app_context():
        lesson = next(lesson for _area, lessons in release().catalogue("vi") for lesson in lessons
                      if any(step.type == "choice" for step in lesson.steps))
    open_lesson(page, live_server, lesson.id)
    for step in lesson.steps:
        if step.type == "choice":
            answer_wrong_then_right(page, step)
            return step.id
        answer_wrong_then_right(page, step)
        page.locator("[data-next]").click()
    raise AssertionError("no lesson with a choice step")


def text_lines(locator) -> int:
    """On how many lines the text of an element is laid out."""
    return locator.evaluate("""(el) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        const boxes = [...range.getClientRects()].filter((r) => r.width > 0.5);
        const tops = boxes.map((r) => Math.round(r.top));
        return new Set(tops).size;
    }""")


def answers_stored(app, learner_id: int, step_id: str) -> list[bool]:
    return sorted(event.correct for event in stored_events(app, learner_id)
                  if event.kind == "step_answered" and event.step_id == step_id)


def test_household_change_made_offline_is_sent_by_background_sync_after_the_page_is_closed(
    app, browser, ambassador_home, live_server  # noqa: F811
):
    context, page = new_phone(browser, "allow")
    sign_in_ambassador(page, live_server)
    household_page = f"{live_server}/households/{ambassador_home.id}"
    page.goto(household_page)
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")

    context.set_offline(True)
    page.locator("#log-visit summary").click()
    page.locator("#competencies-0").check()
    page.locator("#notes").fill("Bác tự quét mã QR ở chợ.")
    page.locator("#log-visit button[type=submit]").click()
    status = page.locator("#household-outbox")
    expect(status).to_have_text(status.get_attribute("data-queued"))
    member = page.locator("[data-member]", has_text="Trần Văn Minh")  # and a member's new name
    member.locator("details.member-edit summary").click()
    member.locator("input[name=full_name]").fill("Trần Văn Minh Khoa")
    member.locator("button[type=submit]").click()
    expect(page.locator("#staff-waiting")).to_have_text("2 thay đổi đang chờ gửi")
    tags = page.evaluate("async () => (await navigator.serviceWorker.ready).sync.getTags()")
    assert tags == ["hue-households"]  # the service worker is asked to send them
    assert visits(app) == 0
    assert page.problems.messages == []

    # The ambassador closes the page and walks on; later the phone finds a network. Chromium
    # fires the registered `sync` event in the service worker by itself: no page is open, so
    # only the worker's sync handler can send them.
    page.close()
    assert context.pages == []
    context.set_offline(False)
    assert wait_for(lambda: visits(app) == 1 and ledger(app) == 2, 30), \
        "Background Sync did not send the visit and the edit"
    with app.app_context():
        visit = db.session.scalar(select(Visit))
        assert visit.household_id == ambassador_home.id and visit.competency_ids == ["QR-1"]
        assert visit.notes == "Bác tự quét mã QR ở chợ."
        assert db.session.scalar(select(HouseholdMember.id).where(
            HouseholdMember.full_name == "Trần Văn Minh Khoa")) is not None

    page = context.new_page()  # opened again later: nothing is left on the phone
    page.problems = PageProblems(page)
    page.goto(household_page)
    assert "Bác tự quét mã QR ở chợ." in page.locator("main").inner_text()
    assert read_household_store(page) == []
    page.wait_for_load_state("networkidle")
    assert visits(app) == 1 and ledger(app) == 2  # each stored once
    assert page.problems.messages == []
    context.close()


def ledger(app) -> int:
    """How many household changes the server received (each op id once)."""
    with app.app_context():
        return len(db.session.scalars(select(HouseholdOp.op_id)).all())


def test_answers_made_offline_are_sent_by_background_sync_after_the_page_is_closed(
    app, browser, learner, live_server
):
    context, page = new_phone(browser, "allow")
    sign_in(page, live_server, learner)
    with app.app_context():
        lesson = next(lesson for _area, lessons in release().catalogue("vi") for lesson in lessons
                      if any(step.type == "choice" for step in lesson.steps))
    open_lesson(page, live_server, lesson.id)
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    # The lesson's "started" event is sent while still online; count after it has arrived.
    assert wait_for(lambda: any(event.kind == "lesson_started"
                                for event in stored_events(app, learner["id"])), 30)
    assert wait_for(lambda: read_store(page, "outbox") == [], 30)
    before = len(stored_events(app, learner["id"]))
    context.set_offline(True)
    step_id = None
    for step in lesson.steps:
        answer_wrong_then_right(page, step)
        if step.type == "choice":
            step_id = step.id
            break
        page.locator("[data-next]").click()
    tags = page.evaluate("async () => (await navigator.serviceWorker.ready).sync.getTags()")
    assert "hue-outbox" in tags
    assert len(stored_events(app, learner["id"])) == before

    page.close()  # the learner puts the phone away; no page of the app is open
    context.set_offline(False)
    assert wait_for(lambda: answers_stored(app, learner["id"], step_id) == [False, True], 30), \
        "Background Sync did not send the answers"
    context.close()


def households_in_db(app) -> int:
    with app.app_context():
        return len(db.session.scalars(select(Household.id)).all())


def test_a_household_change_refused_by_the_server_is_shown_and_never_sent_again(
    app, ambassador_home, live_server, phone_page  # noqa: F811
):
    page = phone_page
    sign_in_ambassador(page, live_server)
    page.goto(live_server + "/households/")
    page.wait_for_function("() => document.documentElement.dataset.staffReady === 'true'")
    with app.app_context():  # another phone registers it meanwhile: not in this phone's copy
        from hue_literacy.accounts.models import User
        from tests.test_households import make_household

        other = db.session.scalar(select(User).where(User.phone == "0701234567"))
        make_household(other, "9 kiệt 5 Chi Lăng")
        db.session.commit()
    before = households_in_db(app)
    page.context.set_offline(True)
    page.locator("#register-household summary").click()
    page.locator("#address").fill("9 kiệt 5 Chi Lăng")  # registered in the ward already
    page.locator("#consent").check()
    page.locator("#register-household button[type=submit]").click()
    status = page.locator("#household-outbox")
    expect(status).to_have_text(status.get_attribute("data-queued"))

    page.context.set_offline(False)  # sent by the page or by Background Sync, whichever first
    expect(status).to_have_text(
        "Chưa lưu được: Một hộ gia đình ở địa chỉ này đã được đăng ký trong phường.")
    screenshot(page, "households-refused-360")
    assert read_household_store(page) == []
    (refused,) = read_household_store(page, "rejected")
    assert refused["reason"] == "duplicate_household"
    assert refused["item"]["payload"]["address"] == "9 kiệt 5 Chi Lăng"  # what was typed is kept
    page.reload()
    page.wait_for_load_state("networkidle")
    assert households_in_db(app) == before
    assert len(read_household_store(page, "rejected")) == 1
    assert page.problems.messages == []


def blocked(context, page) -> None:
    """Playwright refuses every service worker registration."""


def failing(context, page) -> None:
    """The service worker script cannot be fetched (the server fails), so it never starts."""
    context.route("**/sw.js", lambda route: route.fulfill(status=503, body="down"))


@pytest.mark.parametrize(("service_workers", "break_worker"), [
    ("block", blocked), ("allow", failing)], ids=["blocked", "failed"])
def test_answers_are_sent_by_the_page_when_no_service_worker_comes(
    app, browser, learner, live_server, service_workers, break_worker
):
    context, page = new_phone(browser, service_workers)
    break_worker(context, page)
    sign_in(page, live_server, learner)
    step_id = answer_one_choice(app, page, live_server)

    # The page stays open: its own sends store every answer, and the line ends on "sent".
    assert wait_for(lambda: answers_stored(app, learner["id"], step_id) == [False, True], 20), \
        "answers were not sent without a service worker"
    status = page.locator("#sync-status")
    expect(status).to_have_attribute("data-state", "sent")
    assert read_store(page, "outbox") == []
    no_worker = "async () => (await navigator.serviceWorker.getRegistration()) ?? null"
    assert page.evaluate(no_worker) is None
    worker_failed = ("sw.js", "when fetching the script")  # the failure this test makes
    assert [m for m in page.problems.messages if not any(w in m for w in worker_failed)] == []
    context.close()


def test_a_failed_send_is_tried_again_and_the_line_says_so(app, browser, learner, live_server):
    context, page = new_phone(browser, "block")
    sign_in(page, live_server, learner)
    refusals: list[str] = []

    def server_down(route):
        refusals.append(route.request.url)
        route.fulfill(status=503, content_type="application/json", body='{"error": "down"}')

    page.route("**/api/v1/events", server_down)
    step_id = answer_one_choice(app, page, live_server)
    status = page.locator("#sync-status")
    expect(status).to_have_attribute("data-state", "retrying")
    expect(status).to_have_text("Sẽ thử gửi lại")  # the answers stay kept on the phone
    assert text_lines(status) == 1
    screenshot(page, "sync-status-retrying-360")
    page.set_viewport_size(ZOOM_200)  # 360 px at 200% zoom: still one line, no word broken
    assert text_lines(status) == 1 and reading_problems(page).get("broken") is None
    screenshot(page, "sync-status-retrying-200pct")
    page.set_viewport_size(PHONE)
    assert stored_events(app, learner["id"]) == []

    page.unroute("**/api/v1/events")  # the server is back: the page tries again by itself
    expect(status).to_have_attribute("data-state", "sent", timeout=30_000)
    assert len(refusals) >= 1
    assert answers_stored(app, learner["id"], step_id) == [False, True]
    assert read_store(page, "outbox") == []
    assert [m for m in page.problems.messages if "503" not in m] == []
    context.close()
