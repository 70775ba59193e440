"""Each rule of the lesson format (content/FORMAT.md) gives a clear message for its field."""
from __future__ import annotations

import pytest

from hue_literacy.content.links import unsafe_hosts
from tests.content_fixtures import ContentTree


@pytest.fixture
def tree(tmp_path) -> ContentTree:
    return ContentTree(tmp_path)


def _step(index):
    return lambda data: data["steps"][index]


CASES = [
    # Lesson fields.
    ("qr-scan", lambda d: d.update(id="QR scan"), "id", "'QR scan' is not valid"),
    ("qr-scan", lambda d: d.update(colour="red"), "colour", "unknown field; expected one of"),
    ("qr-scan", lambda d: d.update(version=0), "version", "at least 1, found 0"),
    ("qr-scan", lambda d: d.update(next="qr-scan"), "next", "cannot suggest itself"),
    ("qr-scan", lambda d: d.update(competencies=[]), "competencies", "at least 1 item(s)"),
    ("qr-scan", lambda d: d["competencies"].append("QR-1"), "competencies",
     "'QR-1' is listed twice"),
    ("qr-scan", lambda d: d.pop("sources"), "sources", "missing; expected a list"),
    ("qr-scan", lambda d: d["sources"][0].update(url="dichvucong.gov.vn"), "sources[0].url",
     "expected a web address starting with http:// or https://"),
    ("qr-scan", lambda d: d["sources"][0].update(checked="2026-13-01"), "sources[0].checked",
     "'2026-13-01' is not a real date"),
    ("qr-scan", lambda d: d["sources"][0].update(checked="1/11/2026"), "sources[0].checked",
     "expected a date written YYYY-MM-DD"),
    ("qr-scan", lambda d: d.update(steps=d["steps"][:2]), "steps",
     "expected 3 to 7 items, found 2"),
    ("qr-scan", lambda d: d["steps"].extend([{"id": f"more-{n}", "type": "info", "text": "."}
                                             for n in range(4)]),
     "steps", "expected 3 to 7 items, found 8"),
    ("qr-scan", lambda d: d["steps"][3].update(id="intro"), "steps[3].id",
     "step id 'intro' is used twice in this lesson (also steps[0])"),
    ("qr-scan", lambda d: d["steps"].append("pick"), "steps[4]",
     "expected a mapping of fields, found 'pick'"),
    # Every step.
    ("qr-scan", lambda d: d["steps"][0].update(type="video"), "steps[0].type",
     "'video' is not valid; expected one of info, choice, tap, order, form, scan, scam"),
    ("qr-scan", lambda d: d["steps"][3].pop("hint"), "steps[3].hint", "missing; expected a hint"),
    ("qr-scan", lambda d: d["steps"][0].update(prompt="?"), "steps[0].prompt", "unknown field"),
    ("qr-scan", lambda d: d["steps"][0].update(audio="../secret.mp3"), "steps[0].audio",
     "is not a plain file name"),
    ("qr-scan", lambda d: d["steps"][0].update(audio="intro.txt"), "steps[0].audio",
     "unexpected ending"),
    ("qr-scan", lambda d: d["steps"][0].update(alt="A lamp"), "steps[0].alt",
     "only used with an image"),
    # choice
    ("qr-scan", lambda d: d["steps"][3]["options"].pop(), None, None),
    ("qr-scan", lambda d: d["steps"][3].update(options=d["steps"][3]["options"][:1]),
     "steps[3].options", "expected 2 to 4 items, found 1"),
    ("qr-scan", lambda d: d["steps"][3]["options"][2].update(id="wrong"),
     "steps[3].options[2].id", "option id 'wrong' is used twice (also steps[3].options[1])"),
    ("qr-scan", lambda d: d["steps"][3]["options"][1].update(correct="yes"),
     "steps[3].options[1].correct", "expected true or false, found 'yes'"),
    # tap
    ("qr-scan", lambda d: d["steps"][1]["screen"].update(app="facebook"), "steps[1].screen.app",
     "'facebook' is not valid; expected one of bank, vneid, portal"),
    ("qr-scan", lambda d: d["steps"][1]["screen"]["elements"][0].update(kind="icon"),
     "steps[1].screen.elements[0].kind", "expected one of text, tile, button, field, row"),
    ("qr-scan", lambda d: d["steps"][1]["screen"]["elements"][0].update(icon="rocket"),
     "steps[1].screen.elements[0].icon", "'rocket' is not valid; expected one of qr, transfer"),
    ("qr-scan", lambda d: d["steps"][1]["screen"]["elements"][2].update(id="phone"),
     "steps[1].screen.elements[2].id", "element id 'phone' is used twice"),
    ("qr-scan", lambda d: d["steps"][1].pop("screen"), "steps[1].screen",
     "missing; expected a mapping of fields"),
    # order
    ("pay-check", lambda d: d["steps"][2]["items"].pop(), "steps[2].items",
     "expected 3 to 5 items, found 2"),
    ("pay-check", lambda d: d["steps"][2]["items"][2].update(id="open"),
     "steps[2].items[2].id", "item id 'open' is used twice"),
    # form
    ("gov-report", lambda d: d["steps"][1]["fields"][0].update(kind="email"),
     "steps[1].fields[0].kind", "expected one of text, digits, tel, date, select, textarea"),
    ("gov-report", lambda d: d["steps"][1]["fields"][0].pop("error"),
     "steps[1].fields[0].error", "missing; expected a message shown when"),
    ("gov-report", lambda d: d["steps"][1]["fields"][1].pop("options"),
     "steps[1].fields[1].options", "missing; expected a list"),
    ("gov-report", lambda d: d["steps"][1]["fields"][1].update(expected="Fire"),
     "steps[1].fields[1].expected", "'Fire' is not one of the options"),
    ("gov-report", lambda d: d["steps"][1]["fields"][0].update(options=["A", "B"]),
     "steps[1].fields[0].options", "options are only for select fields, not text"),
    ("gov-report", lambda d: d["steps"][1]["fields"][0].update(length=5),
     "steps[1].fields[0].length", "length is only for digits or tel fields"),
    ("gov-report", lambda d: d["steps"][1]["fields"][2].update(expected="12345"),
     "steps[1].fields[2].expected", "'12345' has 5 digits; expected 6"),
    ("gov-report", lambda d: d["steps"][1]["fields"][2].update(id="place"),
     "steps[1].fields[2].id", "field id 'place' is used twice"),
    # scan
    ("qr-scan", lambda d: d["steps"][2].update(code="hue-qr1"), "steps[2].code",
     "expected 3 to 20 capital letters A-Z, digits or -"),
    ("qr-scan", lambda d: d["steps"][2]["qr"].update(kind="barcode"), "steps[2].qr.kind",
     "expected one of link, vietqr, text"),
    ("qr-scan", lambda d: d["steps"][2]["qr"].update(text="hello"), "steps[2].qr.text",
     "unknown field; expected one of kind"),
    ("pay-check", lambda d: d["steps"][1]["qr"].update(account="0123-456"),
     "steps[1].qr.account", "expected an account number of digits only"),
    ("pay-check", lambda d: d["steps"][1]["qr"].update(account=123456),
     "steps[1].qr.account", "write the account number in quotes"),
    ("pay-check", lambda d: d["steps"][1]["qr"].update(purpose="Tra tien bun bo Hue"),
     "steps[1].qr.purpose", "is too long: a VietQR message holds 25 characters"),
    ("pay-check", lambda d: d["steps"][1]["qr"].update(amount=-5), "steps[1].qr.amount",
     "at least 1, found -5"),
    ("pay-check", lambda d: d["steps"][1]["qr"].update(amount="50.000"), "steps[1].qr.amount",
     "expected a whole number, found '50.000'"),
    ("pay-check", lambda d: d["steps"][1]["qr"].pop("name"), "steps[1].qr.name", "missing"),
    ("safe-spot", lambda d: d["steps"][2]["qr"].pop("text"), "steps[2].qr.text", "missing"),
    # scam
    ("safe-spot", lambda d: d["steps"][1].update(find=3), "steps[1].find",
     "expected at most 2 (the number of flagged lines), found 3"),
    ("safe-spot", lambda d: d["steps"][1].update(find=0), "steps[1].find", "at least 1"),
    ("safe-spot", lambda d: d["steps"][1]["lines"][1].pop("why"), "steps[1].lines[1].why",
     "every flagged line needs 'why'"),
    ("safe-spot", lambda d: [line.pop("flag", None) for line in d["steps"][1]["lines"]],
     "steps[1].lines", "no line has 'flag: true'"),
    ("safe-spot", lambda d: d["steps"][1].update(channel="letter"), "steps[1].channel",
     "expected one of sms, zalo, call, email"),
    ("safe-spot", lambda d: d["steps"][1].update(sender="support@vietcombank.com.vn"),
     "steps[1].sender", "'vietcombank.com.vn' could be a real web address"),
]


@pytest.mark.parametrize(("lesson_id", "change", "field", "message"),
                         [case for case in CASES if case[2]],
                         ids=[f"{case[2]}: {case[3]}" for case in CASES if case[2]])
def test_rule_reports_its_field_and_line(tree, lesson_id, change, field, message):
    tree.edit(lesson_id, change)
    problem = tree.problem(f"vi/{lesson_id}.yaml", field)
    assert message in problem.message
    assert problem.line is not None
    assert str(problem).startswith(f"content/vi/{lesson_id}.yaml:{problem.line}: {field}: ")


def test_choice_with_two_options_is_valid(tree):
    tree.edit("qr-scan", lambda d: d["steps"][3]["options"].pop())
    assert len(tree.load().lesson("vi", "qr-scan").steps[3].options) == 2


def test_step_problem_line_points_at_the_field(tree):
    tree.edit("pay-check", lambda d: d["steps"][1]["qr"].update(amount=-5))
    problem = tree.problem("vi/pay-check.yaml", "steps[1].qr.amount")
    assert problem.line == tree.line_of("vi", "pay-check", "amount: -5")


@pytest.mark.parametrize(("text", "hosts"), [
    ("Bấm vào vcb-mo-khoa.top để mở lại", ["vcb-mo-khoa.top"]),
    ("Thanh toán tại http://dichvucong-gov.example/le-phi", []),
    ("https://bank.invalid/x and www.shop.test", []),
    ("HTTP://EVIL.COM/login", ["EVIL.COM"]),
    ("http://192.168.1.2/x", ["192.168.1.2"]),
    ("Zalo.me/abc/page.html", ["Zalo.me"]),
    ("www.Bank.COM", ["www.Bank.COM"]),
    ("Công an TP.HCM, số tiền 1.250.000đ, Q.1, v.v.", []),
    ("Cài file hoadon.apk để xem", []),
    ("Hồ sơ TD.46-261101-0007 còn thiếu phí", []),
])
def test_unsafe_hosts_finds_addresses_outside_reserved_domains(text, hosts):
    assert unsafe_hosts(text) == hosts

