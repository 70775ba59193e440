"""Every shipped lesson of a language can be completed with the right answers at 360 px.

Set HUE_LESSON_SCREENSHOTS=1 to save a screenshot of every step into
test-artifacts/lessons/<lang>/<lesson-id>/ for the lesson writers to look at, and
HUE_LESSONS=shop-,biz-sell to play only the lessons whose id starts with one of these.
"""
from __future__ import annotations

import os
import shutil

import pytest
from playwright.sync_api import expect

from hue_literacy.content.access import release
from hue_literacy.content.model import Lesson, Step
from tests.browser.conftest import ARTIFACTS, horizontal_overflow
from tests.browser.test_player_browser import valid_value

SCREENSHOTS = os.environ.get("HUE_LESSON_SCREENSHOTS", "") not in ("", "0")
ONLY = tuple(part.strip() for part in os.environ.get("HUE_LESSONS", "").split(",") if part.strip())


def lessons_to_play(app, lang: str) -> list[Lesson]:
    with app.app_context():
        lessons = sorted(release().in_lang(lang).values(), key=lambda lesson: lesson.id)
    return [lesson for lesson in lessons if not ONLY or lesson.id.startswith(ONLY)]


def answer_right(section, step: Step) -> None:
    """Give the right answer the way a learner would: tapping and typing."""
    if step.type == "choice":
        section.locator(f'[data-option="{step.correct_option.id}"]').click()
    elif step.type == "tap":
        section.locator(f'[data-element="{step.target}"]').click()
    elif step.type == "order":
        for item in step.items:
            section.locator(f'[data-item="{item.id}"]').click()
    elif step.type == "form":
        for field in step.fields:
            control = section.locator(f"#f-{step.id}-{field.id}")
            if field.kind == "select":
                control.select_option(valid_value(field))
            else:
                control.fill(valid_value(field))
        section.locator("form.practice-form [type=submit]").click()
    elif step.type == "scan":
        section.locator("[data-type-code]").click()
        section.locator(f"#c-{step.id}").fill(step.code)
        section.locator("[data-code-form] [type=submit]").click()
    elif step.type == "scam":
        # Only as many as asked: the step then shows the warning signs not tapped.
        for line in step.flagged[: step.find]:
            section.locator(f'[data-line="{line.id}"]').click()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_lesson_can_be_completed_with_the_right_answers(app, live_server, phone_page,
                                                             lang):
    page = phone_page
    lessons = lessons_to_play(app, lang)
    assert lessons or ONLY, f"no {lang} lessons"
    problems = []
    for lesson in lessons:
        folder = ARTIFACTS / "lessons" / lang / lesson.id
        if SCREENSHOTS:
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
        page.goto(f"{live_server}/learn/{lang}/{lesson.id}")
        expect(page.locator("#player.is-ready")).to_be_attached()
        for index, step in enumerate(lesson.steps):
            section = page.locator(f"#step-{step.id}")
            expect(section).to_be_visible()
            answer_right(section, step)
            if step.practice:
                expect(section.locator(".feedback .notice--success")).to_be_visible()
            if step.type == "scam" and len(step.flagged) > step.find:
                missed = step.flagged[step.find]
                expect(section.locator(f'[data-why="{missed.id}"]')).to_be_visible()
            overflow = horizontal_overflow(page)
            if overflow:
                problems.append(f"{lang}/{lesson.id} {step.id}: {overflow} px too wide")
            if SCREENSHOTS:
                page.screenshot(path=str(folder / f"{index + 1:02d}-{step.id}.png"),
                                full_page=True)
            page.locator("[data-next]").click()
        end = page.locator('[data-step="_end"]')
        expect(end).to_be_visible()
        if SCREENSHOTS:
            page.screenshot(path=str(folder / f"{len(lesson.steps) + 1:02d}-end.png"),
                            full_page=True)
    assert problems == []
    assert page.problems.messages == []
