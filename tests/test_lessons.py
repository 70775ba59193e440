"""The catalogue, the player page, practice QR images and the practice landing page."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape

from hue_literacy.content.access import release
from hue_literacy.content.model import OrderItem, OrderStep, ScanStep
from hue_literacy.extensions import db
from hue_literacy.lessons import services
from hue_literacy.qr import qr_svg
from hue_literacy.vietqr import PRACTICE_BANK_BIN, is_practice_payload, parse_vietqr
from tests.factories import LearnerFactory


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, in document order."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def having(self, attribute: str) -> list[dict]:
        return [attrs for _tag, attrs in self.tags if attribute in attrs]


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def all_lessons(app, lang="vi"):
    with app.app_context():
        return list(release().in_lang(lang).values())


def scan_steps(app, kind: str):
    return [(lesson, step) for lesson in all_lessons(app) for step in lesson.steps
            if isinstance(step, ScanStep) and step.qr.kind == kind]


# --- Catalogue -------------------------------------------------------------------------------

def test_learn_redirects_to_the_catalogue_of_the_visitors_language(client):
    english_phone = {"Accept-Language": "en-GB,en;q=0.9"}
    assert client.get("/learn/", headers=english_phone).headers["Location"] == "/learn/vi/"
    client.post("/language", data={"lang": "en"})
    assert client.get("/learn/").headers["Location"] == "/learn/en/"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_catalogue_lists_every_lesson_grouped_by_area_in_order(app, client, lang):
    html = page(client, f"/learn/{lang}/")
    with app.app_context():
        content = release()
        expected = [
            (area.id, [lesson.id for lesson in lessons])
            for area, lessons in content.catalogue(lang)
        ]
        names = {area.id: area.name[lang] for area in content.framework.areas}
        titles = {lesson.id: lesson.title for lesson in content.in_lang(lang).values()}
    found: list[tuple[str, list[str]]] = []
    for tag, attrs in Elements(html).tags:
        if tag == "h2" and attrs.get("id", "").startswith("area-"):
            found.append((attrs["id"].removeprefix("area-"), []))
        elif tag == "li" and "data-lesson" in attrs:
            found[-1][1].append(attrs["data-lesson"])
    assert found == expected
    assert sum(len(ids) for _area, ids in found) == len(titles) >= 24
    for area_id, ids in expected:
        assert names[area_id] in html
        for lesson_id in ids:
            assert f'href="/learn/{lang}/{lesson_id}"' in html
            assert str(escape(titles[lesson_id])) in html


def test_catalogue_shows_minutes_and_competencies(client):
    html = page(client, "/learn/en/")
    assert "About 3 min" in html
    assert ">QR-1</abbr>" in html


def test_unknown_language_or_lesson_is_not_found(client):
    assert client.get("/learn/fr/").status_code == 404
    assert client.get("/learn/fr/qr-ward-notice").status_code == 404
    assert client.get("/learn/vi/no-such-lesson").status_code == 404
    assert client.get("/learn/en/no-such-lesson").status_code == 404


# --- Player page -----------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_shipped_lesson_has_a_player_page_with_all_its_steps(app, client, lang):
    for lesson in all_lessons(app, lang):
        html = page(client, f"/learn/{lang}/{lesson.id}")
        sections = [attrs for tag, attrs in Elements(html).tags
                    if tag == "section" and "data-step" in attrs]
        assert [s["data-step"] for s in sections] == [s.id for s in lesson.steps] + ["_end"]
        assert [s["data-type"] for s in sections[:-1]] == [s.type for s in lesson.steps]
        # Only the first step is shown before the script takes over.
        assert ["hidden" in s for s in sections] == [False] + [True] * len(lesson.steps)


def test_english_lesson_page_is_in_english(app, client):
    with app.app_context():
        lesson = release().lesson("en", "qr-ward-notice")
    html = page(client, "/learn/en/qr-ward-notice")
    assert '<html lang="en">' in html
    assert f"<h1>{lesson.title}</h1>" in html
    assert f"Step 1 of {len(lesson.steps)}" in html
    assert ">Listen<" in html
    assert 'data-voice="en-US"' in html
    strings = json.loads(re.search(
        r'<script type="application/json" id="player-strings">(.*?)</script>', html, re.S
    ).group(1))
    assert strings["next"] == "Next"


def test_vietnamese_lesson_page_speaks_vietnamese(app, client):
    html = page(client, "/learn/vi/qr-ward-notice")
    with app.app_context():
        steps = len(release().lesson("vi", "qr-ward-notice").steps)
    assert '<html lang="vi">' in html
    assert 'data-voice="vi-VN"' in html
    assert f"Bước 1 / {steps}" in html
    assert "Gợi ý" in html


def test_language_links_lead_to_the_same_lesson(client):
    html = page(client, "/learn/vi/pay-check-name")
    assert 'href="/learn/en/pay-check-name" lang="en" hreflang="en"' in html
    assert 'href="/learn/vi/pay-check-name" lang="vi" hreflang="vi" aria-current="page"' in html


def test_lesson_pages_are_the_same_for_every_visitor(app, client, auth):
    """The service worker caches them: no user data and no form token in the page."""
    guest = {url: page(client, url) for url in ("/learn/vi/", "/learn/vi/safe-otp-never-share")}
    with app.app_context():
        learner = LearnerFactory()
        db.session.commit()
        auth.as_user(learner)
    for url, html in guest.items():
        signed_in = page(client, url)
        assert signed_in == html
        assert "csrf_token" not in html
        assert learner.full_name not in signed_in


def test_pages_have_no_inline_code_or_styles(client):
    """The CSP allows scripts and styles from files only."""
    for url in ("/learn/vi/", "/learn/vi/pay-read-vietqr", "/learn/en/gov-hues-report"):
        parsed = Elements(page(client, url))
        assert parsed.having("style") == []
        assert not [a for a in parsed.having("onclick")]
        for tag, attrs in parsed.tags:
            if tag == "script":
                assert attrs.get("src") or attrs.get("type") == "application/json", attrs


def test_order_steps_are_never_served_in_the_right_order(app, client):
    found = 0
    for lang in ("vi", "en"):
        for lesson in all_lessons(app, lang):
            orders = [step for step in lesson.steps if isinstance(step, OrderStep)]
            if not orders:
                continue
            html = page(client, f"/learn/{lang}/{lesson.id}")
            served = [attrs["data-item"] for attrs in Elements(html).having("data-item")]
            for step in orders:
                ids = [item.id for item in step.items]
                shown = served[: len(ids)]
                served = served[len(ids):]
                assert sorted(shown) == sorted(ids)
                assert shown != ids, f"{lang}/{lesson.id}/{step.id} is served in order"
                assert f'data-order="{" ".join(ids)}"' in html
                found += 1
    assert found >= 8


@given(
    lesson_id=st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True),
    count=st.integers(min_value=2, max_value=6),
)
def test_shuffled_items_are_a_mixed_up_but_fixed_order(lesson_id, count):
    items = tuple(OrderItem(id=f"i{n}", text=f"Item {n}") for n in range(count))
    step = OrderStep(id="steps", prompt="Put in order", hint="h", items=items, success="ok",
                     feedback="no")
    shuffled = services.shuffled_items(lesson_id, step)
    assert sorted(shuffled, key=lambda item: item.id) == list(items)
    assert shuffled != list(items)
    assert shuffled == services.shuffled_items(lesson_id, step)


def test_neighbouring_tiles_share_a_row(app):
    with app.app_context():
        step = release().lesson("vi", "gov-hues-report").step("add-photo")
        home = release().lesson("vi", "qr-ward-notice").step("open-camera")
    assert [kind for kind, _ in services.screen_rows(step.screen.elements)] == [
        "button", "field", "field", "button"]
    assert [(kind, len(els)) for kind, els in services.screen_rows(home.screen.elements)] == [
        ("tiles", 5)]


# --- Practice QR codes -----------------------------------------------------------------------

def payload_on_page(html: str, step_id: str) -> str:
    section = html.split(f'id="step-{step_id}"', 1)[1]
    return re.search(r'data-payload="([^"]*)"', section).group(1).replace("&amp;", "&")


def test_vietqr_practice_codes_can_never_be_paid(app, client):
    steps = scan_steps(app, "vietqr")
    assert steps
    for lesson, step in steps:
        html = page(client, f"/learn/vi/{lesson.id}")
        payload = payload_on_page(html, step.id)
        info = parse_vietqr(payload)
        assert info.bank_bin == PRACTICE_BANK_BIN
        assert info.account == step.qr.account
        assert info.amount == step.qr.amount
        assert info.purpose.startswith("TAP DUOT")
        assert is_practice_payload(payload)
        # The image holds exactly that payload.
        with app.test_request_context():
            assert services.practice_payload(step, lambda code: "") == payload
        image = client.get(f"/learn/practice-qr/{lesson.id}/{step.id}.svg")
        assert image.status_code == 200
        assert image.mimetype == "image/svg+xml"
        assert image.get_data(as_text=True) == qr_svg(payload)


def test_link_practice_codes_lead_to_the_practice_page_of_this_app(app, client):
    steps = scan_steps(app, "link")
    assert steps
    for lesson, step in steps:
        html = page(client, f"/learn/vi/{lesson.id}")
        payload = payload_on_page(html, step.id)
        assert payload == f"http://localhost/p/{step.code}"
        image = client.get(f"/learn/practice-qr/{lesson.id}/{step.id}.svg")
        assert image.get_data(as_text=True) == qr_svg(payload)


def test_text_practice_codes_hold_the_text(app, client):
    for lesson, step in scan_steps(app, "text"):
        html = page(client, f"/learn/vi/{lesson.id}")
        assert payload_on_page(html, step.id) == step.qr.text
        if "://" in step.qr.text:  # an address in a practice code never resolves
            assert ".example/" in step.qr.text or ".invalid" in step.qr.text


def test_practice_qr_images_are_cached_for_a_year_per_content_release(app, client):
    with app.app_context():
        version = release().content_hash[:12]
    html = page(client, "/learn/vi/qr-ward-notice")
    url = f"/learn/practice-qr/qr-ward-notice/scan-notice.svg?v={version}"
    assert f'src="{url}"' in html
    response = client.get(url)
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    stale = client.get("/learn/practice-qr/qr-ward-notice/scan-notice.svg?v=old")
    assert "immutable" not in stale.headers["Cache-Control"]


def test_practice_qr_of_an_unknown_or_non_scan_step_is_not_found(client):
    assert client.get("/learn/practice-qr/qr-ward-notice/intro.svg").status_code == 404
    assert client.get("/learn/practice-qr/qr-ward-notice/nope.svg").status_code == 404
    assert client.get("/learn/practice-qr/nope/scan-notice.svg").status_code == 404


def test_practice_landing_page_shows_the_result_and_leads_back(app, client):
    with app.app_context():
        lesson = release().lesson("vi", "qr-ward-notice")
        step = lesson.step("scan-notice")
    html = page(client, "/p/HUE-QR1")
    assert " ".join(step.result.split()) in " ".join(html.split())
    assert "mã QR tập dượt" in html
    assert 'href="/learn/vi/qr-ward-notice"' in html
    lower = page(client, "/p/hue-qr1")  # case does not matter
    assert " ".join(step.result.split()) in " ".join(lower.split())
    client.post("/language", data={"lang": "en"})
    english = client.get("/p/HUE-QR1")
    assert "You scanned a practice QR code" in english.get_data(as_text=True)
    assert client.get("/p/HUE-NOPE").status_code == 404


def test_typed_codes_ignore_case_spaces_and_dashes():
    assert services.normalise_code(" hue qr-1 ") == services.normalise_code("HUE-QR1")
    assert services.normalise_code("HUE–QR1") == "HUEQR1"


def test_media_of_a_lesson_is_served_from_the_content_folder(app, client, tmp_path):
    assert client.get("/learn/media/vi/nope.mp3").status_code == 404
    assert client.get("/learn/media/fr/x.mp3").status_code == 404


def test_catalogue_carries_each_groups_path_and_the_session_names_the_learners_group(
    app, client, auth
):
    from tests.factories import LearnerFactory

    page = client.get("/learn/vi/").get_data(as_text=True)
    start = page.index('id="group-paths">') + len('id="group-paths">')
    paths = json.loads(page[start:page.index("</script>", start)])
    with app.app_context():
        trader = list(release().framework.path("trader"))
        farmer = LearnerFactory(group="farmer")
        db.session.commit()
    assert paths["groups"]["trader"] == {"name": "Tiểu thương, hộ kinh doanh", "lessons": trader}
    assert paths["title"] == "Lộ trình của bác: {group}"
    assert client.get("/api/v1/session").get_json()["group"] is None
    auth.as_user(farmer)
    assert client.get("/api/v1/session").get_json()["group"] == "farmer"
