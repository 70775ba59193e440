"""Framework v2 and the format additions: each new rule refuses a bad file by field and line."""
from __future__ import annotations

import pytest

from hue_literacy.content.model import FormField
from tests.content_fixtures import ContentTree


@pytest.fixture
def tree(tmp_path) -> ContentTree:
    return ContentTree(tmp_path)


def _field(index):
    return lambda data: data["steps"][1]["fields"][index]


def _element(index):
    return lambda data: data["steps"][1]["screen"]["elements"][index]


LESSON_CASES = [
    # A typed field with an expected value needs its own explanation.
    ("gov-report", lambda d: _field(0)(d).update(expected="Kiệt 12 Phan Đình Phùng"),
     "steps[1].fields[0].expected_error", "missing; a field with 'expected' needs its own"),
    ("gov-report", lambda d: _field(2)(d).update(expected_error="Type 123456."),
     "steps[1].fields[2].expected_error", "is only used with 'expected'"),
    ("gov-report", lambda d: _field(2)(d).update(expected="12a456", expected_error="No."),
     "steps[1].fields[2].expected", "'12a456' is not digits only"),
    ("gov-report", lambda d: _field(2)(d).update(expected="60.000", expected_error="No."),
     "steps[1].fields[2].expected", "has 5 digits; expected 6"),
    ("gov-report", lambda d: _field(2)(d).update(expected=60.5, expected_error="No."),
     "steps[1].fields[2].expected", "was read as a decimal number; put the value in quotes"),
    ("gov-report", lambda d: _field(0)(d).update(kind="date", min_length=None,
                                                 expected="2026-13-01", expected_error="No."),
     "steps[1].fields[0].expected", "'2026-13-01' is not a real date"),
    # Per-element feedback is for the wrong elements only.
    ("qr-scan", lambda d: _element(1)(d).update(feedback="That is the camera."),
     "steps[1].screen.elements[1].feedback", "this element is the target"),
    ("qr-scan", lambda d: _element(0)(d).update(feedback=["a", "list"]),
     "steps[1].screen.elements[0].feedback", "expected what the player says when this element"),
    # Sources: a checked date is required.
    ("qr-scan", lambda d: d["sources"][0].pop("checked"), "sources[0].checked",
     "missing; expected a date written YYYY-MM-DD"),
]


@pytest.mark.parametrize(("lesson_id", "change", "field", "message"), LESSON_CASES,
                         ids=[case[2] + ": " + case[3][:30] for case in LESSON_CASES])
def test_new_lesson_rule_refuses_a_bad_file_with_field_and_line(tree, lesson_id, change, field,
                                                                message):
    tree.edit(lesson_id, change, langs=("vi",))
    problem = tree.problem(f"vi/{lesson_id}.yaml", field)
    assert message in problem.message
    key = field.rsplit(".", 1)[-1]
    line = tree.path("vi", lesson_id).read_text(encoding="utf-8").splitlines()[problem.line - 1]
    # A missing field points at what asks for it (`expected:`) or at its mapping.
    assert key in line or "expected:" in line or "title:" in line


def test_format_additions_load_and_keep_their_data(tree):
    def add(data):
        data["steps"][1]["screen"].update(app="shop")
        _element(0)(data).update(kind="notification", icon="cart",
                                 feedback="This is a message, not the camera.")
        data["steps"][1]["screen"]["elements"].append(
            {"id": "sale", "kind": "tile", "text": "Sale", "icon": "gift"})

    tree.edit("qr-scan", add)

    def price(data):
        _field(2)(data).update(kind="digits", length=None, expected="60.000",
                               expected_error="She said 60.000 dong: type 60000.")
    tree.edit("gov-report", price)
    release = tree.load()
    tap = release.lesson("vi", "qr-scan").step("find-scan")
    assert tap.screen.app == "shop"
    assert tap.screen.elements[0].kind == "notification"
    assert tap.screen.elements[0].feedback == "This is a message, not the camera."
    assert tap.screen.elements[1].feedback == ""
    field = release.lesson("en", "gov-report").step("fill").fields[2]
    assert field.expected == "60.000" and field.wrong_value_message.startswith("She said")
    assert field.accepts("60000") and field.accepts("60 000") and not field.accepts("6000")


def test_expected_comparison_follows_the_field_kind():
    digits = FormField(id="amount", label="Amount", kind="digits", error="e",
                       expected="60000", expected_error="Type 60000")
    assert digits.accepts("60.000") and digits.accepts(" 60 000 ") and not digits.accepts("6000")
    text = FormField(id="name", label="Name", kind="text", error="e", expected="Cô Hương")
    assert text.accepts("  cô   hương ") and not text.accepts("Cô Hoa")
    assert text.wrong_value_message == "e"  # select-like fallback when no expected_error


@pytest.mark.parametrize(("change", "field", "values"), [
    (lambda d: _field(2)(d).update(expected="123456", expected_error="Type it."),
     "steps[1].fields[2].expected", "vi has 123456, en has (none)"),
    (lambda d: _field(0)(d).update(expected="The lamp", expected_error="Type it."),
     "steps[1].fields[0].expected", "vi has given, en has (none)"),
])
def test_translation_keeps_expected_values(tree, change, field, values):
    tree.edit("gov-report", change, langs=("vi",))
    assert values in tree.problem("en/gov-report.yaml", field).message


def test_translation_keeps_which_elements_have_their_own_feedback(tree):
    tree.edit("qr-scan", lambda d: _element(0)(d).update(feedback="Phone calls."), langs=("vi",))
    problem = tree.problem("en/qr-scan.yaml", "steps[1].screen.elements[0].feedback")
    assert "vi has given, en has (none)" in problem.message


@pytest.mark.parametrize(("text", "found"), [
    ("Số tiền - 60.000 đồng", "' - ' is read aloud"),
    ("Bác trả 60.000đ nhé.", "'60.000đ': the voice reads 'đ' as a letter"),
    ("Số dư: 1.250.000 đ", "'1.250.000 đ'"),
    ("Hẹn bác lúc 10:02 sáng.", "'10:02' is read as two numbers"),
])
def test_speech_unfriendly_text_is_a_warning_with_field_and_line(tree, text, found):
    tree.edit("pay-check", lambda d: d["steps"][3].update(prompt=text), langs=("vi",))
    release = tree.load()  # still loads: a warning, not an error
    warnings = [w for w in release.warnings if w.file == "content/vi/pay-check.yaml"]
    assert [w.field for w in warnings] == ["steps[3].prompt"]
    assert found in warnings[0].message
    assert warnings[0].line == tree.line_of("vi", "pay-check", "prompt:", nth=3)


def test_speech_friendly_text_and_sources_give_no_warning(tree):
    tree.edit("pay-check", lambda d: d["steps"][3].update(
        prompt="Số tiền: 60.000 đồng, lúc 10 giờ 2 phút. Mã 0912-345 và TP.HCM."))
    lessons = [w for w in tree.warnings() if "pay-check" in w.file]
    assert lessons == []


def test_a_homepage_source_is_refused_with_its_line(tree):
    tree.edit("qr-scan", lambda d: d["sources"][0].update(url="https://bocongan.gov.vn/"))
    problem = tree.problem("vi/qr-scan.yaml", "sources[0].url")
    assert problem.line == tree.line_of("vi", "qr-scan", "url:")
    assert "is a homepage; expected the address of the page" in problem.message
    tree.edit("qr-scan", lambda d: d["sources"][0].update(url="https://sbv.gov.vn"))
    assert "is a homepage" in tree.problem("vi/qr-scan.yaml", "sources[0].url").message


def _competency(area, index):
    return lambda d: d["areas"][area]["competencies"][index]


FRAMEWORK_CASES = [
    (lambda d: _competency(0, 0)(d).pop("decision_757"), "areas[0].competencies[0].decision_757",
     "missing; expected a mapping of fields"),
    (lambda d: _competency(0, 1)(d).update(basic_skill="cooking"),
     "areas[0].competencies[1].basic_skill", "unknown basic skill 'cooking'"),
    (lambda d: _competency(1, 0)(d)["decision_757"].update(groups=["pupils"]),
     "areas[1].competencies[0].decision_757.groups", "unknown Decision 757 group 'pupils'"),
    (lambda d: _competency(1, 0)(d)["decision_757"].update(skill_area="maths"),
     "areas[1].competencies[0].decision_757.skill_area", "unknown Decision 757 skill area"),
    (lambda d: d["groups"][0].update(decision_757="retirees"), "groups[0].decision_757",
     "unknown a Decision 757 group 'retirees'"),
    (lambda d: d["basic_skills"].pop(), "basic_skills", "missing local-platform"),
    (lambda d: d["digital_family"]["skills"].update(payment=["PAY-1", "PAY-9"]),
     "digital_family.skills.payment", "unknown competency id 'PAY-9'"),
    (lambda d: d["digital_family"]["skills"].pop("shopping"), "digital_family.skills.shopping",
     "missing; expected a list"),
    (lambda d: d["paths"]["elderly"].insert(1, "shop-first-order"), "paths.elderly[1]",
     "no lesson 'shop-first-order'"),
    (lambda d: d["paths"]["elderly"].append("qr-scan"), "paths.elderly",
     "lesson 'qr-scan' is listed twice"),
    (lambda d: d["paths"].update(tourist=["qr-scan"]), "paths.tourist", "unknown group"),
    (lambda d: d.update(version=1), "decision_757", "is a version 2 field"),
    # `{vi: Tiểu thương, hộ kinh doanh, en: ...}` reads "hộ kinh doanh" as a key of its own.
    (lambda d: d["groups"][1].update(name={"vi": "Tiểu thương", "hộ kinh doanh": None,
                                           "en": "Small traders"}),
     "groups[1].name.hộ kinh doanh", "put a text holding a comma in quotes"),
]


@pytest.mark.parametrize(("change", "field", "message"), FRAMEWORK_CASES,
                         ids=[case[1] for case in FRAMEWORK_CASES])
def test_framework_rule_refuses_a_bad_file_with_field_and_line(tree, change, field, message):
    tree.edit_framework(change)
    problem = tree.problem("framework.yaml", field)
    assert message in problem.message
    assert problem.line is not None


def test_archive_keeps_only_earlier_versions_of_the_same_framework(tree):
    copy = tree.root / "archive" / "hue-dl-v2.yaml"
    copy.write_bytes((tree.root / "framework.yaml").read_bytes())
    assert "not older than the current version 2" in tree.problem(
        "archive/hue-dl-v2.yaml", "version").message
    copy.unlink()
    archived = tree.root / "archive" / "hue-dl-v1.yaml"
    text = archived.read_text(encoding="utf-8")
    archived.write_text(text.replace("id: hue-dl", "id: other"), encoding="utf-8")
    assert "is not the current framework's id" in tree.problem(
        "archive/hue-dl-v1.yaml", "id").message


def test_v2_framework_carries_national_places_basic_skills_family_rule_and_paths(tree):
    release = tree.load()
    framework = release.framework
    assert framework.version == 2 and sorted(release.archived) == [1]
    assert [skill.id for skill in framework.basic_skills] == [
        "public-services", "shopping", "payment", "safety", "local-platform"]
    shop = framework.competencies["SHOP-4"]
    assert (shop.area_id, shop.basic_skill, shop.decision_757.skill_area) == (
        "shop", "shopping", "safety")
    assert framework.competencies["HELP-1"].basic_skill is None
    assert framework.group("student").national_group == "students"
    rule = framework.digital_family
    assert rule.members == 1 and rule.skills["local-platform"] == ("GOV-3",)
    assert rule.skills_held({"GOV-3", "SAFE-1"}) == ("local-platform",)
    assert rule.holds_all(set(rule.competency_ids))
    assert [lesson.id for lesson in release.path_lessons("en", "elderly")] == [
        "safe-spot", "qr-scan", "pay-check", "gov-report"]
    old = release.framework_version(1)
    assert old.version == 1 and old.profile("basic").competency_ids[0] == "QR-1"
    assert old.digital_family is None and "SHOP-1" not in old.competencies


def test_shipped_framework_gives_every_group_a_profile_with_the_family_skills(app):
    from hue_literacy.content import access

    with app.app_context():
        framework = access.framework()
    family = set(framework.digital_family.competency_ids)
    for group in framework.groups:
        profile = framework.profile_for_group(group.id)
        assert profile is not None and family <= set(profile.competency_ids), group.id
        assert framework.path(group.id), group.id
        first = framework.path(group.id)[0]
        assert first.startswith("safe-"), f"{group.id} path starts with {first}"
