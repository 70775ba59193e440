"""Check one lesson step of each type and build its dataclass (see content/FORMAT.md)."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hue_literacy.content.links import unsafe_hosts, unsafe_link_message
from hue_literacy.content.model import (
    ChoiceOption,
    ChoiceStep,
    FormField,
    FormStep,
    InfoStep,
    OrderItem,
    OrderStep,
    QrSpec,
    ScamLine,
    ScamStep,
    ScanStep,
    Screen,
    ScreenElement,
    Step,
    TapStep,
    normalise_digits,
)
from hue_literacy.content.yaml_lines import Checker
from hue_literacy.vietqr import PRACTICE_MARKER, PURPOSE_MAX_LENGTH, ascii_purpose

# Room left in a VietQR purpose after the practice marker and a space.
PRACTICE_PURPOSE_ROOM = PURPOSE_MAX_LENGTH - len(PRACTICE_MARKER) - 1

ID_PATTERN = r"[a-z0-9-]+"
ID_WHAT = "an id of small letters a-z, digits and -"
CODE_PATTERN = r"[A-Z0-9-]{3,20}"
APPS = ("bank", "vneid", "portal", "hue-s", "zalo", "camera", "home", "sms", "call", "settings",
        "shop", "social", "video")
ELEMENT_KINDS = ("text", "tile", "button", "field", "row", "notification")
ICONS = (
    "qr", "transfer", "list", "bell", "id", "camera", "phone", "message", "lock", "home",
    "settings", "search", "doc", "photo", "map", "shield", "user", "card", "help", "back",
    "cart", "truck", "star", "gift", "store", "video", "print", "bag",
)
FIELD_KINDS = ("text", "digits", "tel", "date", "select", "textarea")
QR_KINDS = ("link", "vietqr", "text")
CHANNELS = ("sms", "zalo", "call", "email")
AUDIO_ENDINGS = (".mp3", ".m4a", ".ogg", ".opus", ".wav", ".webm")
IMAGE_ENDINGS = (".png", ".jpg", ".jpeg", ".webp", ".svg", ".gif")
COMMON_FIELDS = {"id", "type", "hint", "audio", "image", "alt"}
QR_FIELDS = {
    "link": {"kind"},
    "text": {"kind", "text"},
    "vietqr": {"kind", "account", "name", "amount", "purpose"},
}

StepCheck = Callable[[Checker, dict[str, Any]], Step]


def check_step(check: Checker, media_dir: Path) -> Step | None:
    """Check one step of any type; return it, or None when its type is missing or unknown."""
    step_id = check.string("id", pattern=ID_PATTERN, what=f"a step id: {ID_WHAT}")
    step_type = check.one_of("type", tuple(STEP_CHECKS))
    if not step_type:
        return None
    fields, step_check = STEP_CHECKS[step_type]
    check.unknown_keys(COMMON_FIELDS | fields)
    common = {
        "id": step_id,
        "hint": check.string("hint", required=step_type != "info",
                             what="a hint (practice steps show it on request)"),
        "audio": _media_file(check, "audio", media_dir, AUDIO_ENDINGS),
        "image": _media_file(check, "image", media_dir, IMAGE_ENDINGS),
        "alt": check.string("alt", required=False),
    }
    if common["image"] and not common["alt"]:
        check.problem("alt", "missing; an image needs alt text saying what it shows",
                      check.line_of("image"))
    if check.has("alt") and not check.has("image"):
        check.problem("alt", "alt text is only used with an image; add image or remove alt")
    return step_check(check, common)


def _media_file(check: Checker, key: str, media_dir: Path, endings: tuple[str, ...]) -> str | None:
    folder = check.problems.name(media_dir)
    name = check.string(key, required=False, what=f"a file name in {folder}/")
    if not name:
        return None
    if "/" in name or "\\" in name or name.startswith("."):
        check.problem(key, f"'{name}' is not a plain file name; expected a file in {folder}/")
    elif not name.lower().endswith(endings):
        check.problem(key, f"'{name}' has an unexpected ending; expected one of "
                      + ", ".join(endings))
    elif not (media_dir / name).is_file():
        check.problem(key, f"file {folder}/{name} is missing")
    return name


def _unique_ids(entries: list[tuple[Checker, str]], what: str) -> None:
    """Report every id used twice among `entries` (checker of the item, its id)."""
    first: dict[str, str] = {}
    for sub, item_id in entries:
        if not item_id:
            continue
        if item_id in first:
            sub.problem("id", f"{what} id '{item_id}' is used twice (also {first[item_id]}); "
                        "expected unique ids")
        first.setdefault(item_id, sub.prefix)


def _info(check: Checker, common: dict[str, Any]) -> InfoStep:
    return InfoStep(**common, text=check.string("text"))


def _choice(check: Checker, common: dict[str, Any]) -> ChoiceStep:
    prompt = check.string("prompt")
    options, entries = [], []
    for _index, sub in check.each("options", min_items=2, max_items=4):
        sub.unknown_keys({"id", "text", "correct", "feedback"})
        option = ChoiceOption(
            id=sub.string("id", pattern=ID_PATTERN, what=f"an option id: {ID_WHAT}"),
            text=sub.string("text"),
            correct=sub.boolean("correct"),
            feedback=sub.string("feedback", required=False),
        )
        if not option.correct and not option.feedback:
            sub.problem("feedback", "missing; every wrong option needs feedback saying why "
                        "it is not right")
        options.append(option)
        entries.append((sub, option.id))
    _unique_ids(entries, "option")
    correct = [(sub, option) for (sub, _), option in zip(entries, options, strict=True)
               if option.correct]
    if options and not correct:
        check.problem("options", "no option is marked 'correct: true'; expected exactly one")
    for sub, option in correct[1:]:
        sub.problem("correct", f"option '{option.id}' is marked correct as well as "
                    f"'{correct[0][1].id}'; expected exactly one correct option")
    return ChoiceStep(**common, prompt=prompt, options=tuple(options))


def _tap(check: Checker, common: dict[str, Any]) -> TapStep:
    prompt = check.string("prompt")
    app, title, elements, entries = "", "", [], []
    screen_check = check.section("screen")
    if screen_check:
        screen_check.unknown_keys({"app", "title", "elements"})
        app = screen_check.one_of("app", APPS)
        title = screen_check.string("title")
        for _index, sub in screen_check.each("elements"):
            sub.unknown_keys({"id", "kind", "text", "icon", "feedback"})
            element = ScreenElement(
                id=sub.string("id", pattern=ID_PATTERN, what=f"an element id: {ID_WHAT}"),
                kind=sub.one_of("kind", ELEMENT_KINDS),
                text=sub.string("text"),
                icon=sub.one_of("icon", ICONS, required=False) or None,
                feedback=sub.string("feedback", required=False,
                                    what="what the player says when this element is tapped"),
            )
            elements.append(element)
            entries.append((sub, element.id))
        _unique_ids(entries, "element")
    target = check.string("target", pattern=ID_PATTERN, what="the id of a screen element")
    ids = [element.id for element in elements if element.id]
    if target and ids and target not in ids:
        check.problem("target", f"'{target}' is not an element of the screen; expected one of "
                      + ", ".join(ids))
    for (sub, element_id), element in zip(entries, elements, strict=True):
        if element_id and element_id == target and element.feedback:
            sub.problem("feedback", "this element is the target: tapping it shows 'success'; "
                        "element feedback is for the wrong elements only")
    return TapStep(
        **common, prompt=prompt, screen=Screen(app=app, title=title, elements=tuple(elements)),
        target=target, feedback=check.string("feedback"), success=check.string("success"),
    )


def _order(check: Checker, common: dict[str, Any]) -> OrderStep:
    prompt = check.string("prompt")
    items, entries = [], []
    for _index, sub in check.each("items", min_items=3, max_items=5):
        sub.unknown_keys({"id", "text"})
        item = OrderItem(id=sub.string("id", pattern=ID_PATTERN, what=f"an item id: {ID_WHAT}"),
                         text=sub.string("text"))
        items.append(item)
        entries.append((sub, item.id))
    _unique_ids(entries, "item")
    return OrderStep(**common, prompt=prompt, items=tuple(items),
                     success=check.string("success"), feedback=check.string("feedback"))


def _form(check: Checker, common: dict[str, Any]) -> FormStep:
    prompt = check.string("prompt")
    submit = check.string("submit", what="the text of the submit button")
    fields, entries = [], []
    for _index, sub in check.each("fields"):
        form_field = _form_field(sub)
        fields.append(form_field)
        entries.append((sub, form_field.id))
    _unique_ids(entries, "field")
    return FormStep(**common, prompt=prompt, submit=submit, fields=tuple(fields),
                    success=check.string("success"))


def _form_field(sub: Checker) -> FormField:
    sub.unknown_keys({"id", "label", "kind", "required", "min_length", "length", "options",
                      "expected", "expected_error", "error"})
    field_id = sub.string("id", pattern=ID_PATTERN, what=f"a field id: {ID_WHAT}")
    kind = sub.one_of("kind", FIELD_KINDS)
    min_length = sub.integer("min_length", required=False, minimum=1) or None
    length = sub.integer("length", required=False, minimum=1) or None
    if length and kind and kind not in ("digits", "tel"):
        sub.problem("length", f"length is only for digits or tel fields, not {kind}")
    if min_length and kind in ("date", "select"):
        sub.problem("min_length", f"min_length is only for typed fields, not {kind}")
    if min_length and length and min_length > length:
        sub.problem("min_length", f"min_length {min_length} is more than length {length}")
    options: list[str] = []
    if kind == "select":
        options = sub.string_list("options")
        if sub.has("options") and 0 < len(options) < 2:
            sub.problem("options", "expected at least 2 options to choose from")
        for index, option in enumerate(options):
            if option in options[:index]:
                sub.problem("options", f"option '{option}' is listed twice",
                            sub.item_line("options", index))
    elif sub.has("options"):
        sub.problem("options", f"options are only for select fields, not {kind or 'this kind'}")
    expected = _expected(sub, kind, options, min_length, length)
    expected_error = sub.string("expected_error", required=False) or None
    if expected_error and not expected:
        sub.problem("expected_error", "is only used with 'expected'; add the expected value or "
                    "remove expected_error")
    if expected and not expected_error and kind and kind != "select":
        sub.problem("expected_error", "missing; a field with 'expected' needs its own "
                    "explanation for a different value, e.g. 'Cô Hương nói 60.000 đồng: bác gõ "
                    "60000'", sub.line_of("expected"))
    return FormField(
        id=field_id, label=sub.string("label"), kind=kind,
        error=sub.string("error", what="a message shown when the field is not filled right"),
        required=sub.boolean("required"), min_length=min_length, length=length,
        options=tuple(options), expected=expected, expected_error=expected_error,
    )


def _expected(sub: Checker, kind: str, options: list[str], min_length: int | None,
              length: int | None) -> str | None:
    """The value the task gives, checked against the field's kind (see FormField.accepts)."""
    raw = sub.data.get("expected")
    if isinstance(raw, float):
        sub.problem("expected", f"'{raw}' was read as a decimal number; put the value in quotes, "
                    'e.g. expected: "60000"')
        return None
    expected = sub.string("expected", required=False) or None
    if not expected or not kind:
        return expected
    compact = normalise_digits(expected)
    if kind == "select" and options and expected not in options:
        sub.problem("expected", f"'{expected}' is not one of the options; expected one of: "
                    + "; ".join(options))
    elif kind == "digits" and not re.fullmatch(r"\d+", compact):
        sub.problem("expected", f"'{expected}' is not digits only (spaces and dots are ignored)")
    elif kind == "tel" and not re.fullmatch(r"\+?\d+", compact):
        sub.problem("expected", f"'{expected}' is not a phone number of digits")
    elif kind in ("digits", "tel") and length and len(compact.lstrip("+")) != length:
        sub.problem("expected", f"'{expected}' has {len(compact.lstrip('+'))} digits; expected "
                    f"{length}")
    elif kind == "date":
        sub.date("expected", required=False)
    elif kind in ("text", "textarea") and min_length and len(expected) < min_length:
        sub.problem("expected", f"'{expected}' is shorter than min_length {min_length}")
    return expected


def _scan(check: Checker, common: dict[str, Any]) -> ScanStep:
    prompt = check.string("prompt")
    code = check.string("code", pattern=CODE_PATTERN,
                        what="3 to 20 capital letters A-Z, digits or -, e.g. HUE-QR1")
    qr_check = check.section("qr")
    qr = _qr(qr_check) if qr_check else QrSpec(kind="")
    return ScanStep(**common, prompt=prompt, code=code, qr=qr, result=check.string("result"))


def _qr(check: Checker) -> QrSpec:
    kind = check.one_of("kind", QR_KINDS)
    if not kind:
        return QrSpec(kind="")
    check.unknown_keys(QR_FIELDS[kind])
    if kind == "link":
        return QrSpec(kind=kind)
    if kind == "text":
        text = check.string("text", what="the text the code holds")
        hosts = unsafe_hosts(text)
        if hosts:
            check.problem("text", unsafe_link_message(hosts))
        return QrSpec(kind=kind, text=text)
    raw_account = check.data.get("account")
    if isinstance(raw_account, int) and not isinstance(raw_account, bool):
        check.problem("account", "write the account number in quotes, e.g. account: "
                      '"0123456789" (without quotes leading zeros are lost)')
        account = ""
    else:
        account = check.string("account", pattern=r"[0-9]{1,19}",
                               what="an account number of digits only (at most 19)")
    amount = check.integer("amount", required=False, minimum=1) or None
    purpose = check.string("purpose", required=False) or None
    if purpose and len(ascii_purpose(purpose)) > PRACTICE_PURPOSE_ROOM:
        check.problem(
            "purpose",
            f"'{purpose}' is too long: a VietQR message holds 25 characters, of which "
            f"'{PRACTICE_MARKER} ' takes {len(PRACTICE_MARKER) + 1}; write at most "
            f"{PRACTICE_PURPOSE_ROOM} characters",
        )
    return QrSpec(
        kind=kind, account=account,
        name=check.string("name", what="the account name shown by the bank app"),
        amount=amount, purpose=purpose,
    )


def _scam(check: Checker, common: dict[str, Any]) -> ScamStep:
    prompt = check.string("prompt")
    channel = check.one_of("channel", CHANNELS)
    sender = check.string("sender", what="who the message or call comes from")
    hosts = unsafe_hosts(sender)
    if hosts:
        check.problem("sender", unsafe_link_message(hosts))
    lines, entries = [], []
    for _index, sub in check.each("lines", min_items=2):
        sub.unknown_keys({"id", "text", "flag", "why"})
        line = ScamLine(
            id=sub.string("id", pattern=ID_PATTERN, what=f"a line id: {ID_WHAT}"),
            text=sub.string("text"),
            flag=sub.boolean("flag"),
            why=sub.string("why", required=False),
        )
        if line.flag and not line.why:
            sub.problem("why", "missing; every flagged line needs 'why' it is a warning sign")
        hosts = unsafe_hosts(line.text)
        if hosts:
            sub.problem("text", unsafe_link_message(hosts))
        lines.append(line)
        entries.append((sub, line.id))
    _unique_ids(entries, "line")
    flagged = sum(1 for line in lines if line.flag)
    find = check.integer("find", minimum=1)
    if lines and not flagged:
        check.problem("lines", "no line has 'flag: true'; expected at least one warning sign")
    elif flagged and find > flagged:
        check.problem("find", f"expected at most {flagged} (the number of flagged lines), "
                      f"found {find}")
    return ScamStep(
        **common, prompt=prompt, channel=channel, sender=sender, lines=tuple(lines), find=find,
        safe_feedback=check.string("safe_feedback", what="feedback for a tap on a safe line"),
        success=check.string("success"),
    )


STEP_CHECKS: dict[str, tuple[set[str], StepCheck]] = {
    "info": ({"text"}, _info),
    "choice": ({"prompt", "options"}, _choice),
    "tap": ({"prompt", "screen", "target", "feedback", "success"}, _tap),
    "order": ({"prompt", "items", "success", "feedback"}, _order),
    "form": ({"prompt", "submit", "fields", "success"}, _form),
    "scan": ({"prompt", "code", "qr", "result"}, _scan),
    "scam": ({"prompt", "channel", "sender", "lines", "find", "safe_feedback", "success"}, _scam),
}
