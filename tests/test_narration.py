"""Narration recorded by volunteers: upload checks, who may record, review, what the player
plays, stale recordings, and `flask content check` / `flask content narration export|import`."""
from __future__ import annotations

import pytest

from hue_literacy.content.speech import speakable, step_speech_text
from hue_literacy.extensions import db
from hue_literacy.narration.media import MediaRefused, sniff
from hue_literacy.narration.models import APPROVED, REPLACED, NarrationRecording
from tests.conftest import AuthActions, empty_all_tables, make_app
from tests.content_fixtures import ContentTree
from tests.factories import AmbassadorFactory, OfficialFactory, ward
from tests.narration_media import mp4_audio, real_webm, webm

UPLOAD = "/narration/vi/qr-scan/intro"


@pytest.fixture
def tree(tmp_path) -> ContentTree:
    return ContentTree(tmp_path)


@pytest.fixture
def app_config(tree, tmp_path) -> dict:
    """The app (tests/conftest.py) on a small content tree, with uploads in their own folder."""
    return {"CONTENT_DIR": str(tree.root), "NARRATION_DIR": str(tmp_path / "uploads")}


@pytest.fixture
def other_app(_schema, database_url):
    """Another app on the same database (another content release or server); its
    connections are closed at the end."""
    made = []

    def make(**overrides):
        made.append(make_app(database_url, **overrides))
        return made[-1]

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def people(app):
    with app.app_context():
        official = OfficialFactory()
        other_official = OfficialFactory(ward=ward("THUANHOA"))
        ambassador = AmbassadorFactory()
        db.session.commit()
        return {"official": official.id, "other_official": other_official.id,
                "ambassador": ambassador.id}


def _as(app, user_id: int):
    from hue_literacy.accounts.models import User

    client = app.test_client()
    with app.app_context():
        AuthActions(client).as_user(db.session.get(User, user_id))
    return client


def _send(client, data: bytes, url: str = UPLOAD, **query):
    return client.post(url, data=data, query_string=query,
                       headers={"Content-Type": "audio/webm"})


def test_the_container_codec_and_length_are_read_from_the_bytes():
    real = sniff(real_webm())
    assert (real.mime, real.codec) == ("audio/webm", "opus")
    assert 1500 <= real.duration_ms <= 2100  # 2 s recorded by Chromium's MediaRecorder
    assert sniff(webm(70)).duration_ms == 70_000  # no Duration field: the blocks' times count
    assert sniff(mp4_audio(12.5)) .duration_ms == 12_500
    for bad, code in [(webm(3, codec="A_VORBIS"), "codec"), (webm(3, track_type=1), "not_audio"),
                      (webm(3, doc_type="matroska"), "not_audio"),
                      (mp4_audio(3, handler=b"vide"), "not_audio"),
                      (b"RIFF\x00\x00\x00\x00WAVEfmt ", "not_audio"),
                      (real_webm()[:30], "damaged")]:
        with pytest.raises(MediaRefused) as refused:
            sniff(bad)
        assert refused.value.code == code


def test_an_upload_is_refused_with_a_reason_for_a_wrong_type_length_or_size(app, people):
    client = _as(app, people["official"])
    cases = [
        (b"<html>not sound</html>", "not_audio", "không phải là bản thu"),
        (webm(75), "too_long", "dài 75 giây"),
        (webm(0.1), "too_short", "quá ngắn"),
        (b"\x1a\x45\xdf\xa3" + b"\0" * 1_000_000, "too_big", "quá lớn"),
    ]
    for data, code, words in cases:
        answer = _send(client, data)
        assert answer.status_code in (413, 422), (code, answer.status_code)
        if answer.status_code == 422:
            assert answer.json["error"] == code
            assert words in answer.json["message"]
    assert _send(client, real_webm(), url="/narration/vi/qr-scan/no-such-step").status_code == 422
    assert _send(client, real_webm(), text="0" * 64).json["error"] == "text_changed"
    with app.app_context():
        assert db.session.query(NarrationRecording).count() == 0


def test_an_ambassador_records_only_once_an_official_of_their_ward_allows_it(app, people):
    ambassador = _as(app, people["ambassador"])
    assert _send(ambassador, real_webm()).status_code == 403
    assert ambassador.get("/narration/").status_code == 403
    stranger = _as(app, people["other_official"])
    assert stranger.post("/narration/recorders", data={"user_id": people["ambassador"],
                                                       "allowed": "y"}).status_code == 403
    official = _as(app, people["official"])
    page = official.get("/narration/recorders").get_data(as_text=True)
    assert "Lê Văn Đại Sứ" in page
    official.post("/narration/recorders", data={"user_id": people["ambassador"], "allowed": "y"})
    assert ambassador.get("/narration/vi/qr-scan").status_code == 200
    sent = _send(ambassador, real_webm())
    assert sent.status_code == 201, sent.json
    assert _send(ambassador, real_webm()).json["id"] == sent.json["id"]  # a retry: stored once
    official.post("/narration/recorders", data={"user_id": people["ambassador"]})
    assert _send(ambassador, webm(3)).status_code == 403
    audit = official.get("/staff/audit").get_data(as_text=True)
    assert "được phép thu giọng đọc" in audit and "không còn thu giọng đọc" in audit


def test_only_an_approved_recording_is_played_and_a_new_text_makes_it_stale(app, people,
                                                                             tree, other_app):
    official = _as(app, people["official"])
    first = _send(official, real_webm()).json
    assert official.get("/api/v1/narration/vi/qr-scan").json["steps"] == {}
    assert app.test_client().get(first["url"]).status_code == 404  # not public yet
    other = _as(app, people["other_official"])
    assert other.post(f"/narration/review/{first['id']}",
                      data={"decision": "approve"}).status_code == 403
    review_page = official.get("/narration/review").get_data(as_text=True)
    assert "Read this first." in review_page
    official.post(f"/narration/review/{first['id']}", data={"decision": "approve"})
    steps = app.test_client().get("/api/v1/narration/vi/qr-scan").json["steps"]
    assert list(steps) == ["intro"] and steps["intro"]["url"] == first["url"]
    audio = app.test_client().get(first["url"])
    assert audio.status_code == 200 and audio.mimetype == "audio/webm"
    assert audio.data == real_webm()
    assert "immutable" in audio.headers["Cache-Control"]

    second = _send(official, webm(4)).json
    official.post(f"/narration/review/{second['id']}", data={"decision": "reject"})
    assert app.test_client().get("/api/v1/narration/vi/qr-scan").json["steps"][
        "intro"]["url"] == first["url"]
    third = _send(official, webm(5)).json
    official.post(f"/narration/review/{third['id']}", data={"decision": "approve"})
    with app.app_context():
        assert db.session.get(NarrationRecording, first["id"]).status == REPLACED
        assert db.session.get(NarrationRecording, third["id"]).status == APPROVED

    tree.edit("qr-scan", lambda data: data["steps"][0].update(text="Read this first, slowly."),
              langs=("vi",))
    changed = other_app(CONTENT_DIR=str(tree.root), NARRATION_DIR=app.config["NARRATION_DIR"])
    assert changed.test_client().get("/api/v1/narration/vi/qr-scan").json["steps"] == {}
    page = _as(changed, people["official"]).get("/narration/vi/qr-scan").get_data(as_text=True)
    assert "Lời đã thay đổi: cần thu lại" in page


def test_content_check_reports_coverage_and_export_ships_the_approved_recordings(
        app, people, tree, other_app):
    official = _as(app, people["official"])
    sent = _send(official, real_webm()).json
    _send(official, webm(3), url="/narration/vi/qr-scan/find-scan")
    official.post(f"/narration/review/{sent['id']}", data={"decision": "approve"})
    runner = app.test_cli_runner()
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert "vi qr-scan: 4 steps, recorded 2, approved 1, stale 0, missing 2" in result.output
    assert "en qr-scan: 4 steps, recorded 0, approved 0, stale 0, missing 4" in result.output

    result = runner.invoke(args=["content", "narration", "export"])
    assert "vi: 1 recording(s)" in result.output, result.output
    shipped = tree.root / "vi" / "narration" / "qr-scan" / "intro.webm"
    assert shipped.read_bytes() == real_webm()
    assert "sha256" in (tree.root / "vi" / "narration" / "manifest.yaml").read_text()

    # A fresh server (empty database) plays the shipped file and can import it.
    fresh = other_app(CONTENT_DIR=str(tree.root), NARRATION_DIR=str(tree.root.parent / "uploads2"))
    with fresh.app_context():
        empty_all_tables()
    steps = fresh.test_client().get("/api/v1/narration/vi/qr-scan").json["steps"]
    assert fresh.test_client().get(steps["intro"]["url"]).data == real_webm()
    fresh_runner = fresh.test_cli_runner()
    assert "1 recording(s) imported" in fresh_runner.invoke(
        args=["content", "narration", "import"]).output
    assert "vi qr-scan: 4 steps, recorded 1, approved 1" in fresh_runner.invoke(
        args=["content", "check"]).output

    stray = tree.root / "vi" / "narration" / "qr-scan" / "nobody.webm"
    stray.write_bytes(real_webm())
    result = fresh_runner.invoke(args=["content", "check", "--dir", str(tree.root)])
    assert result.exit_code == 1 and "nobody.webm" in result.output
    stray.unlink()
    shipped.write_bytes(webm(3))
    result = fresh_runner.invoke(args=["content", "check", "--dir", str(tree.root)])
    assert result.exit_code == 1 and "does not match its sha256" in result.output


def test_content_check_fails_on_a_stored_recording_whose_file_was_damaged(app, people,
                                                                          tmp_path):
    official = _as(app, people["official"])
    _send(official, real_webm())
    stored = next((tmp_path / "uploads").rglob("*.webm"))
    stored.write_bytes(b"changed")
    result = app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert "does not match its sha256" in result.output


def test_the_phone_voice_reads_a_speech_friendly_text(tree):
    from hue_literacy.content.release import load_release

    assert speakable("Số tiền - 60.000đ", "vi") == "Số tiền: 60.000 đồng"
    lesson = load_release(tree.root).lesson("vi", "pay-check")
    choice = next(step for step in lesson.steps if step.type == "choice")
    assert step_speech_text(choice, "vi") == "Which one? This one. That one. Another."


def test_a_learner_gets_the_recordings_of_their_own_path_to_download(app, people):
    from tests.factories import LearnerFactory

    official = _as(app, people["official"])
    sent = _send(official, real_webm()).json
    official.post(f"/narration/review/{sent['id']}", data={"decision": "approve"})
    with app.app_context():
        learner_id = LearnerFactory(group="elderly").id
        db.session.commit()
    learner = _as(app, learner_id)
    plan = learner.get("/api/v1/narration/path/vi").json
    assert [lesson["lesson"] for lesson in plan["lessons"]] == [
        "safe-spot", "qr-scan", "pay-check", "gov-report"]
    assert plan["lessons"][1]["steps"]["intro"]["url"] == sent["url"]
    assert plan["bytes"] == len(real_webm())
    assert app.test_client().get("/api/v1/narration/path/vi").status_code == 401
    page = learner.get("/progress/").get_data(as_text=True)
    assert "Tải giọng đọc các bài của tôi" in page


def test_the_player_page_carries_each_steps_speech_text_and_its_recordings_list(client):
    page = client.get("/learn/vi/pay-check").get_data(as_text=True)
    assert 'data-narration="/api/v1/narration/vi/pay-check"' in page
    assert 'data-speech="Read this first."' in page
    assert 'data-speech="Which one? This one. That one. Another."' in page
    assert "data-narration-player" in page
