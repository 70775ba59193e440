"""The lesson loader and the release checks: good content loads, each mistake is named clearly."""
from __future__ import annotations

import pytest

from hue_literacy.content.errors import ContentError
from hue_literacy.content.lessons import ChoiceStep, FormStep, ScamStep, ScanStep, TapStep
from hue_literacy.content.release import content_hash, load_release
from tests.content_fixtures import ContentTree


@pytest.fixture
def tree(tmp_path) -> ContentTree:
    return ContentTree(tmp_path)


def test_valid_tree_loads_every_lesson_in_both_languages(tree):
    release = tree.load()
    assert sorted(release.lessons) == ["en", "vi"]
    assert sorted(release.lessons["vi"]) == ["gov-report", "pay-check", "qr-scan", "safe-spot"]
    lesson = release.lesson("en", "qr-scan")
    assert lesson.title == "Lesson qr-scan (en)" and lesson.next == "pay-check"
    assert [step.type for step in lesson.steps] == ["info", "tap", "scan", "choice"]
    tap = lesson.steps[1]
    assert isinstance(tap, TapStep) and tap.target == "camera"
    assert tap.screen.elements[1].icon == "camera" and tap.screen.elements[2].icon is None


def test_steps_keep_their_typed_data(tree):
    release = tree.load()
    pay = release.lesson("vi", "pay-check")
    scan = pay.step("scan-pay")
    assert isinstance(scan, ScanStep)
    assert (scan.qr.kind, scan.qr.account, scan.qr.amount) == ("vietqr", "0123456789", 50000)
    choice = pay.step("pick")
    assert isinstance(choice, ChoiceStep) and choice.correct_option.id == "right"
    form = release.lesson("vi", "gov-report").step("fill")
    assert isinstance(form, FormStep)
    assert form.fields[1].options == ("Broken lamp", "Rubbish", "Flood")
    assert form.fields[2].length == 6 and form.fields[0].required
    scam = release.lesson("vi", "safe-spot").step("spot")
    assert isinstance(scam, ScamStep) and [line.id for line in scam.flagged] == ["locked", "link"]


def test_catalogue_lists_an_areas_lessons_by_order(tree):
    tree.edit("qr-scan", lambda data: data.update(order=2))
    for lang in ("vi", "en"):
        data = tree.data(lang, "qr-scan")
        data.update(id="qr-first", order=1, next=None)
        for step in data["steps"]:
            if step["type"] == "scan":
                step["code"] = "TEST-QR9"
        tree.write(lang, data)
    release = tree.load()
    assert [lesson.id for lesson in release.area_lessons("vi", "qr")] == ["qr-first", "qr-scan"]
    assert [lesson.id for lesson in release.competency_lessons("en", "PAY-2")] == ["pay-check"]
    catalogue = release.catalogue("vi")
    assert [area.id for area, _ in catalogue] == ["qr", "pay", "gov", "safe"]
    assert release.counts()["en"] == {"qr": 2, "pay": 1, "gov": 1, "safe": 1, "shop": 0,
                                      "biz": 0, "help": 0}
    assert "vi: 5 lessons (qr 2, pay 1, gov 1, safe 1, shop 0" in release.summary()


def test_lesson_and_scan_code_lookups(tree):
    release = tree.load()
    assert release.lesson("vi", "no-such-lesson") is None
    assert release.lesson("fr", "qr-scan").lang == "vi"
    lesson, step = release.scan_step("en", "TEST-PAY1")
    assert (lesson.id, step.id, lesson.lang) == ("pay-check", "scan-pay", "en")
    assert release.scan_step("vi", "NOPE") is None


def test_malformed_yaml_is_reported_with_its_line(tree):
    path = tree.path("vi", "pay-check")
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[4] = "order: [1"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problem = tree.problem("vi/pay-check.yaml", "(syntax)")
    assert problem.line is not None and problem.line >= 5
    assert "not valid YAML" in problem.message


def test_missing_field_names_the_field_and_line(tree):
    tree.edit("qr-scan", lambda data: data["steps"][1].pop("prompt"), langs=("vi",))
    problem = tree.problem("vi/qr-scan.yaml", "steps[1].prompt")
    assert problem.line == tree.line_of("vi", "qr-scan", "id: find-scan")
    assert problem.message == "missing; expected text"


def test_wrong_type_is_reported(tree):
    tree.edit("qr-scan", lambda data: data.update(minutes="three"))
    problem = tree.problem("vi/qr-scan.yaml", "minutes")
    assert problem.line == tree.line_of("vi", "qr-scan", "minutes:")
    assert "expected a whole number" in problem.message


def test_unknown_competency_is_reported(tree):
    tree.edit("pay-check", lambda data: data["competencies"].append("PAY-9"))
    problem = tree.problem("vi/pay-check.yaml", "competencies[3]")
    assert problem.line == tree.line_of("vi", "pay-check", "- PAY-9")
    assert "unknown competency id 'PAY-9'" in problem.message and "QR-1" in problem.message


def test_unknown_area_is_reported(tree):
    tree.edit("pay-check", lambda data: data.update(area="money"))
    assert "unknown area 'money'; expected one of qr, pay, gov, safe" in tree.problem(
        "en/pay-check.yaml", "area").message


def test_tap_target_must_be_an_element_of_the_screen(tree):
    tree.edit("qr-scan", lambda data: data["steps"][1].update(target="camra"))
    problem = tree.problem("vi/qr-scan.yaml", "steps[1].target")
    assert problem.line == tree.line_of("vi", "qr-scan", "target: camra")
    assert problem.message == (
        "'camra' is not an element of the screen; expected one of phone, camera, note")


def test_two_correct_options_are_reported(tree):
    tree.edit("qr-scan", lambda data: data["steps"][3]["options"][2].update(correct=True))
    problem = tree.problem("vi/qr-scan.yaml", "steps[3].options[2].correct")
    assert problem.line == tree.line_of("vi", "qr-scan", "correct: true", nth=2)
    assert "'other' is marked correct as well as 'right'" in problem.message
    assert "exactly one" in problem.message


def test_choice_without_a_correct_option_is_reported(tree):
    tree.edit("qr-scan", lambda data: data["steps"][3]["options"][0].pop("correct"))
    assert "no option is marked 'correct: true'" in tree.problem(
        "vi/qr-scan.yaml", "steps[3].options").message


def test_wrong_option_without_feedback_is_reported(tree):
    tree.edit("gov-report", lambda data: data["steps"][2]["options"][1].pop("feedback"),
              langs=("en",))
    problem = tree.problem("en/gov-report.yaml", "steps[2].options[1].feedback")
    assert problem.line == tree.line_of("en", "gov-report", "id: wrong")
    assert "every wrong option needs feedback" in problem.message


def test_missing_translation_names_both_files(tree):
    tree.path("en", "safe-spot").unlink()
    assert "content/en/safe-spot.yaml: (file): missing translation of " \
        "content/vi/safe-spot.yaml" in tree.messages()


def test_lesson_only_in_english_is_reported_missing_in_vietnamese(tree):
    tree.path("vi", "gov-report").unlink()
    assert "content/vi/gov-report.yaml: (file): missing translation of " \
        "content/en/gov-report.yaml" in tree.messages()


def test_structure_differing_between_vi_and_en_names_field_and_both_values(tree):
    def swap_correct(data):
        options = data["steps"][3]["options"]
        options[0]["correct"], options[1]["correct"] = False, True

    tree.edit("qr-scan", swap_correct, langs=("en",))
    first = tree.problem("en/qr-scan.yaml", "steps[3].options[0].correct")
    vi_line = tree.line_of("vi", "qr-scan", "correct: true")
    assert first.message == (
        f"differs from content/vi/qr-scan.yaml:{vi_line}: vi has true, en has false; "
        "expected the same in every language")
    second = tree.problem("en/qr-scan.yaml", "steps[3].options[1].correct")
    assert second.line == tree.line_of("en", "qr-scan", "correct: true")
    assert "vi has false, en has true" in second.message


@pytest.mark.parametrize(("change", "field", "values"), [
    (lambda d: d.update(version=2), "version", "vi has 1, en has 2"),
    (lambda d: d["steps"][1]["screen"]["elements"][0].update(id="dial"),
     "steps[1].screen.elements", "vi has [phone, camera, note], en has [dial, camera, note]"),
    (lambda d: d["steps"][1].update(target="phone"), "steps[1].target",
     "vi has camera, en has phone"),
    (lambda d: d["steps"][2].update(code="TEST-QR7"), "steps[2].code",
     "vi has TEST-QR1, en has TEST-QR7"),
    (lambda d: d["steps"].insert(1, d["steps"].pop(3)), "steps",
     "vi has [intro, find-scan, scan-notice, pick], en has [intro, pick, find-scan, scan-notice]"),
])
def test_translation_must_keep_the_structure(tree, change, field, values):
    tree.edit("qr-scan", change, langs=("en",))
    problem = tree.problem("en/qr-scan.yaml", field)
    assert values in problem.message and "content/vi/qr-scan.yaml" in problem.message


@pytest.mark.parametrize(("lesson_id", "change", "field", "values"), [
    ("pay-check", lambda d: d["steps"][2]["items"].reverse(), "steps[2].items",
     "vi has [open, scan, check], en has [check, scan, open]"),
    ("pay-check", lambda d: d["steps"][1]["qr"].update(amount=60000), "steps[1].qr.amount",
     "vi has 50000, en has 60000"),
    ("gov-report", lambda d: d["steps"][1]["fields"][2].update(length=8),
     "steps[1].fields[2].length", "vi has 6, en has 8"),
    ("gov-report", lambda d: d["steps"][1]["fields"][1].update(expected="Rubbish (en)"),
     "steps[1].fields[1].expected", "vi has option 1, en has option 2"),
    ("safe-spot", lambda d: d["steps"][1]["lines"][0].update(flag=True, why="Odd."),
     "steps[1].lines[0].flag", "vi has false, en has true"),
    ("safe-spot", lambda d: d["steps"][1].update(find=1), "steps[1].find",
     "vi has 2, en has 1"),
])
def test_translation_keeps_answers_of_every_step_type(tree, lesson_id, change, field, values):
    tree.edit(lesson_id, change, langs=("en",))
    assert values in tree.problem(f"en/{lesson_id}.yaml", field).message


def test_translated_texts_may_differ(tree):
    release = tree.load()
    vi, en = release.lesson("vi", "gov-report"), release.lesson("en", "gov-report")
    assert vi.title != en.title
    assert vi.steps[1].fields[1].expected == "Broken lamp"
    assert en.steps[1].fields[1].expected == "Broken lamp (en)"


def test_missing_media_file_is_reported(tree):
    tree.edit("qr-scan", lambda data: data["steps"][0].update(audio="intro.mp3"), langs=("vi",))
    problem = tree.problem("vi/qr-scan.yaml", "steps[0].audio")
    assert problem.line == tree.line_of("vi", "qr-scan", "audio: intro.mp3")
    assert problem.message == "file content/vi/media/intro.mp3 is missing"


def test_media_files_beside_the_lesson_are_accepted(tree):
    (tree.root / "vi" / "media" / "intro.mp3").write_bytes(b"ID3")
    (tree.root / "vi" / "media" / "lamp.png").write_bytes(b"\x89PNG")
    tree.edit("qr-scan", lambda data: data["steps"][0].update(
        audio="intro.mp3", image="lamp.png", alt="A street lamp"), langs=("vi",))
    step = tree.load().lesson("vi", "qr-scan").steps[0]
    assert (step.audio, step.image, step.alt) == ("intro.mp3", "lamp.png", "A street lamp")


def test_image_needs_alt_text(tree):
    (tree.root / "en" / "media" / "lamp.png").write_bytes(b"\x89PNG")
    tree.edit("qr-scan", lambda data: data["steps"][0].update(image="lamp.png"), langs=("en",))
    assert "needs alt text" in tree.problem("en/qr-scan.yaml", "steps[0].alt").message


def test_broken_next_is_reported(tree):
    tree.edit("qr-scan", lambda data: data.update(next="pay-chek"))
    problem = tree.problem("vi/qr-scan.yaml", "next")
    assert problem.line == tree.line_of("vi", "qr-scan", "next: pay-chek")
    assert problem.message == (
        "no lesson 'pay-chek' in content/vi/; expected the id of an existing lesson")


def test_real_domain_in_a_scam_line_is_refused(tree):
    tree.edit("safe-spot", lambda data: data["steps"][1]["lines"][2].update(
        text="Open vcb-unlock.top to unlock"), langs=("vi",))
    problem = tree.problem("vi/safe-spot.yaml", "steps[1].lines[2].text")
    assert problem.line == tree.line_of("vi", "safe-spot", "vcb-unlock.top")
    assert "'vcb-unlock.top' could be a real web address" in problem.message
    assert ".example, .invalid or .test" in problem.message


def test_real_domain_in_a_practice_qr_text_is_refused(tree):
    tree.edit("safe-spot", lambda data: data["steps"][2]["qr"].update(
        text="https://free-gift.com/get"))
    assert "'free-gift.com'" in tree.problem("en/safe-spot.yaml", "steps[2].qr.text").message


def test_competency_trained_by_too_few_lessons_is_a_warning_while_lessons_are_written(tree):
    tree.edit("safe-spot", lambda data: data["competencies"].remove("SAFE-4"))
    warnings = {w.field: w for w in tree.warnings() if w.file == "content/framework.yaml"}
    problem = warnings["areas[3].competencies[3].id"]
    lines = tree.root.joinpath("framework.yaml").read_text(encoding="utf-8").splitlines()
    assert problem.line == next(n for n, line in enumerate(lines, 1) if "id: SAFE-4" in line)
    assert problem.message.startswith("competency SAFE-4 is not trained by any lesson; "
                                      "expected at least 2 lessons")
    assert warnings["areas[3].competencies[2].id"].message.startswith(
        "competency SAFE-3 is trained by only 1 lesson")
    # New areas without lessons yet: warned about, not refused.
    assert "areas[4].competencies[0].id" in warnings


def test_scan_codes_are_unique_across_lessons(tree):
    tree.edit("safe-spot", lambda data: data["steps"][2].update(code="TEST-QR1"))
    problem = tree.problem("vi/safe-spot.yaml", "steps[2].code")
    assert "'TEST-QR1' is already used by content/vi/qr-scan.yaml steps[2]" in problem.message


def test_lesson_id_must_match_the_file_name(tree):
    data = tree.data("vi", "gov-report")
    tree.write("vi", data, name="gov-reports")
    tree.path("vi", "gov-report").unlink()
    problem = tree.problem("vi/gov-reports.yaml", "id")
    assert problem.message == "'gov-report' differs from the file name; expected 'gov-reports'"
    assert problem.line == 1


def test_every_problem_is_reported_at_once(tree):
    tree.edit("qr-scan", lambda data: data["steps"][1].update(target="camra"))
    tree.edit("pay-check", lambda data: data.update(next="nowhere"), langs=("vi",))
    tree.path("en", "gov-report").unlink()
    with pytest.raises(ContentError) as raised:
        load_release(tree.root)
    fields = {(problem.file, problem.field) for problem in raised.value.problems}
    assert {
        ("content/vi/qr-scan.yaml", "steps[1].target"),
        ("content/en/qr-scan.yaml", "steps[1].target"),
        ("content/vi/pay-check.yaml", "next"),
        ("content/en/gov-report.yaml", "(file)"),
    } <= fields
    assert "content/vi/pay-check.yaml" in str(raised.value)


def test_yes_and_no_stay_text_in_lesson_files(tree):
    def rename(data):
        data["steps"][3]["options"][0]["id"] = "yes"
        data["steps"][3]["options"][1]["id"] = "no"

    tree.edit("qr-scan", rename)
    path = tree.path("vi", "qr-scan")
    path.write_text(path.read_text(encoding="utf-8").replace("'yes'", "yes").replace(
        "'no'", "no"), encoding="utf-8")
    options = tree.load().lesson("vi", "qr-scan").steps[3].options
    assert [option.id for option in options] == ["yes", "no", "other"]


def test_content_hash_changes_when_a_lesson_file_changes(tree):
    before = content_hash(tree.root)
    assert content_hash(tree.root) == before
    tree.edit("qr-scan", lambda data: data.update(title="Another title"), langs=("en",))
    assert content_hash(tree.root) != before


def test_release_is_reused_until_a_file_changes(tree):
    first = tree.load()
    assert tree.load() is first
    tree.edit("qr-scan", lambda data: data.update(minutes=4))
    second = tree.load()
    assert second is not first and second.lesson("vi", "qr-scan").minutes == 4
    assert second.content_hash != first.content_hash


def test_empty_lesson_file_is_reported(tree):
    tree.path("vi", "gov-report").write_text("", encoding="utf-8")
    assert tree.problem("vi/gov-report.yaml", "(file)").message.startswith("file is empty")
