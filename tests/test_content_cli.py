"""`flask content check` and the app refusing to start on invalid content."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from flask.cli import FlaskGroup

from hue_literacy.content import access
from hue_literacy.content.errors import ContentError
from tests.conftest import make_app
from tests.content_fixtures import ContentTree


@pytest.fixture
def tree(tmp_path) -> ContentTree:
    return ContentTree(tmp_path)


def _break_target(tree: ContentTree) -> None:
    tree.edit("qr-scan", lambda data: data["steps"][1].update(target="camra"), langs=("vi",))


def test_every_shipped_lesson_passes_the_strict_content_check(runner):
    """No warning either: speech-friendly text, and every competency trained by 2+ lessons."""
    result = runner.invoke(args=["content", "check", "--strict"])
    assert result.exit_code == 0, result.output
    assert "Content OK" in result.output
    assert "WARNING" not in result.output


def test_shipped_content_has_lessons_in_every_area_and_language(app):
    with app.app_context():
        release = access.release()
    for lang in ("vi", "en"):
        counts = release.counts()[lang]
        assert all(counts[area] >= 6 for area in ("qr", "pay", "gov", "safe", "shop", "biz"))
        assert counts["help"] >= 2 and sum(counts.values()) >= 40
    assert release.counts()["vi"] == release.counts()["en"]


def test_content_check_prints_the_summary_of_a_valid_folder(runner, tree):
    result = runner.invoke(args=["content", "check", "--dir", str(tree.root)])
    assert result.exit_code == 0, result.output
    assert "vi: 4 lessons (qr 1, pay 1, gov 1, safe 1, shop 0, biz 0, help 0)" in result.output
    assert "framework hue-dl v2, v1 archived" in result.output


def test_content_check_lists_each_problem_and_exits_with_1(runner, tree):
    _break_target(tree)
    tree.path("en", "gov-report").unlink()
    result = runner.invoke(args=["content", "check", "--dir", str(tree.root)])
    assert result.exit_code == 1
    line = tree.line_of("vi", "qr-scan", "target: camra")
    assert (f"ERROR content/vi/qr-scan.yaml:{line}: steps[1].target: 'camra' is not an "
            "element of the screen") in result.output
    assert ("ERROR content/en/gov-report.yaml: (file): missing translation of "
            "content/vi/gov-report.yaml") in result.output
    assert "problem(s) in" in result.output


def test_app_refuses_to_start_on_broken_content(database_url, tree):
    _break_target(tree)
    with pytest.raises(ContentError) as raised:
        make_app(database_url, CONTENT_DIR=str(tree.root))
    assert [(p.file, p.field) for p in raised.value.problems] == [
        ("content/vi/qr-scan.yaml", "steps[1].target"),
    ]
    assert "content/vi/qr-scan.yaml" in str(raised.value)


def test_app_serves_the_content_folder_it_is_given(database_url, tree):
    app = make_app(database_url, CONTENT_DIR=str(tree.root))
    with app.app_context():
        assert sorted(access.release().lessons["en"]) == [
            "gov-report", "pay-check", "qr-scan", "safe-spot"]
        assert access.framework().id == "hue-dl"


def test_flask_command_line_lists_problems_of_an_app_that_cannot_start(database_url, tree):
    _break_target(tree)
    cli = FlaskGroup(create_app=lambda: make_app(database_url, CONTENT_DIR=str(tree.root)),
                     load_dotenv=False)
    result = CliRunner().invoke(cli, ["content", "check"])
    assert result.exit_code == 1
    assert "ERROR content/vi/qr-scan.yaml:" in result.output
    assert "Traceback" not in result.output
