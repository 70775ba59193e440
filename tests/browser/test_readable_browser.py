"""Every page type at 200% zoom on a 360 px phone: no broken word, text >= 16 px, 44 px targets."""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from hue_literacy.classes import services as classes
from hue_literacy.extensions import db
from tests.browser.conftest import ARTIFACTS, screenshot
from tests.browser.readable import overflow, reading_problems, zoomed_context
from tests.browser.test_player_browser import answer_wrong_then_right, lessons_by_type
from tests.factories import TEST_PASSWORD, TEST_PIN, AdminFactory, ward
from tests.test_certificates import issue, make_people
from tests.test_households import make_household


@pytest.fixture
def city(app):
    """A ward with staff, learners, a class, a household and an issued certificate."""
    people = make_people(app)
    with app.app_context():
        official, ambassador = people["official_a"], people["ambassador_a"]
        db.session.add_all([official, ambassador])
        certificate = issue(people["hoa"], official)
        lesson_class = classes.open_class(ward("PHUXUAN").id, "Nhà văn hóa tổ dân phố 5",
                                          certificate.issued_on, ambassador)
        classes.join_class(lesson_class, people["hoa"])
        household = make_household(ambassador, "12 kiệt 34 Phan Đình Phùng", "Nhà bác Hoa", [
            {"full_name": "Nguyễn Thị Hoa", "role": "head", "phone": "0912345678"},
            {"full_name": "Trần Văn Minh", "role": "child", "phone": "0977111222"},
        ])
        AdminFactory(full_name="Hồ Thị Thành Phố", phone="0301234567")
        db.session.commit()
        return {"people": people, "certificate": certificate.id, "class": lesson_class.id,
                "household": household.id, "code": certificate.code}


class Walk:
    """Open pages in a zoomed context; collect each page's problems and a screenshot."""

    def __init__(self, browser, live_server, name: str) -> None:
        self.context = zoomed_context(browser)
        self.page = self.context.new_page()
        self.live_server = live_server
        self.name = name
        self.found: dict[str, dict] = {}

    def check(self, label: str) -> None:
        problems = reading_problems(self.page)
        if overflow(self.page) > 1:
            problems["overflow"] = [f"{overflow(self.page)} px wider than the screen"]
        if problems:
            self.found[f"{self.name} {label}"] = problems
        slug = label.strip("/").replace("/", "-").replace(" ", "-") or "home"
        screenshot(self.page, f"readable-200-{self.name}-{slug}")

    def visit(self, path: str, label: str | None = None) -> None:
        self.page.goto(self.live_server + path)
        expect(self.page.locator("main")).to_be_visible()
        self.check(label or path)

    def sign_in(self, phone: str, secret: str, staff: bool) -> None:
        self.page.goto(self.live_server + ("/staff/sign-in" if staff else "/sign-in"))
        self.page.get_by_label("Số điện thoại").fill(phone)
        self.page.get_by_label("Mật khẩu" if staff else "Mã PIN").fill(secret)
        self.page.locator("main button[type=submit]").click()
        self.page.wait_for_url(self.live_server + "/")

    def close(self) -> dict:
        self.context.close()
        (ARTIFACTS / f"readable-200-{self.name}.json").write_text(
            json.dumps(self.found, ensure_ascii=False, indent=1), encoding="utf-8")
        return self.found


def test_learner_and_public_pages_read_whole_at_200_percent(city, browser, live_server):
    walk = Walk(browser, live_server, "learner")
    for path in ("/", "/sign-in", "/register", "/privacy", "/learn/vi/", "/learn/en/",
                 "/verify", f"/verify/{city['code']}", "/staff/sign-in"):
        walk.visit(path)
    walk.sign_in("0912345678", TEST_PIN, staff=False)
    for path in ("/", "/learn/vi/", "/progress/", "/me/data", "/me/delete", "/certificates/",
                 "/classes/join"):
        walk.visit(path, "signed-in " + path)
    assert walk.close() == {}


def test_every_step_kind_reads_whole_at_200_percent(app, browser, live_server):
    walk = Walk(browser, live_server, "player")
    page = walk.page
    for step_type, lesson in lessons_by_type(app).items():
        page.goto(f"{live_server}/learn/vi/{lesson.id}")
        expect(page.locator("#player.is-ready")).to_be_attached()
        for step in lesson.steps:
            if step.type == step_type:
                walk.check(f"{step_type}-{step.id}")  # before an answer: the mock phone rows
            answer_wrong_then_right(page, step)
            if step.type == step_type:
                walk.check(f"{step_type}-{step.id}-answered")  # feedback, bank rows
                break
            page.locator("[data-next]").click()
    lesson = lessons_by_type(app)["info"]
    page.goto(f"{live_server}/learn/vi/{lesson.id}")
    expect(page.locator("#player.is-ready")).to_be_attached()
    for step in lesson.steps:
        answer_wrong_then_right(page, step)
        page.locator("[data-next]").click()
    expect(page.locator(".step--end")).to_be_visible()
    walk.check("end")
    assert walk.close() == {}


def test_staff_pages_read_whole_at_200_percent(city, browser, live_server):
    people = city["people"]
    learner = people["hoa"].id
    walk = Walk(browser, live_server, "ambassador")
    walk.sign_in(people["ambassador_a"].phone, TEST_PASSWORD, staff=True)
    for path in ("/", "/learners/", "/learners/new", f"/learners/{learner}",
                 f"/learners/{learner}/card", "/households/", "/households/new",
                 f"/households/{city['household']}", f"/households/{city['household']}/edit",
                 f"/households/{city['household']}/members/new",
                 f"/households/{city['household']}/visits/new", "/classes/", "/classes/new",
                 f"/classes/{city['class']}", f"/classes/{city['class']}/learners/{learner}",
                 f"/progress/learner/{learner}"):
        walk.visit(path)
    found = walk.close()
    walk = Walk(browser, live_server, "official")
    walk.sign_in(people["official_a"].phone, TEST_PASSWORD, staff=True)
    for path in ("/", "/dashboard/", "/certificates/", f"/certificates/{city['certificate']}",
                 "/households/import/", "/staff/", "/staff/new", "/staff/audit"):
        walk.visit(path)
    found |= walk.close()
    walk = Walk(browser, live_server, "admin")
    walk.sign_in("0301234567", TEST_PASSWORD, staff=True)
    for path in ("/", "/dashboard/city", "/staff/wards", f"/staff/{people['official_a'].id}"):
        walk.visit(path)
    found |= walk.close()
    assert found == {}
