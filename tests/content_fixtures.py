"""A small valid content tree in tmp_path: the real framework and four tiny lessons per language.

Together the four lessons use every step type and train every competency of the framework.
Tests change one thing with `tree.edit(...)` and look for the problem it causes.
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from hue_literacy.content.errors import ContentError, ContentProblem
from hue_literacy.content.release import ContentRelease, load_release

FRAMEWORK = Path(__file__).resolve().parent.parent / "content" / "framework.yaml"
SOURCE = {"title": "Official guide", "url": "https://dichvucong.gov.vn/p/home/dvc-huong-dan.html",
          "checked": "2026-11-01"}
ARCHIVE = FRAMEWORK.parent / "archive"
TEXT_KEYS = {"title", "summary", "text", "prompt", "hint", "feedback", "success", "label",
             "error", "submit", "result", "why", "safe_feedback"}


def _lesson(lesson_id: str, area: str, order: int, competencies: list[str],
            steps: list[dict], next_id: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": lesson_id, "version": 1, "area": area, "order": order,
        "competencies": competencies, "minutes": 3, "title": f"Lesson {lesson_id}",
        "summary": "A short practice.",
    }
    if next_id:
        data["next"] = next_id
    data["sources"] = [dict(SOURCE)]
    data["steps"] = [{"id": "intro", "type": "info", "text": "Read this first."}, *steps]
    return data


def _choice(step_id: str = "pick") -> dict[str, Any]:
    return {
        "id": step_id, "type": "choice", "prompt": "Which one?", "hint": "Think.",
        "options": [
            {"id": "right", "text": "This one", "correct": True, "feedback": "Well done."},
            {"id": "wrong", "text": "That one", "feedback": "Not that one."},
            {"id": "other", "text": "Another", "feedback": "Not that one either."},
        ],
    }


LESSONS: dict[str, dict[str, Any]] = {
    "qr-scan": _lesson("qr-scan", "qr", 1, ["QR-1", "QR-2"], next_id="pay-check", steps=[
        {"id": "find-scan", "type": "tap", "prompt": "Tap the camera.", "hint": "A camera.",
         "screen": {"app": "home", "title": "Home", "elements": [
             {"id": "phone", "kind": "tile", "text": "Phone", "icon": "phone"},
             {"id": "camera", "kind": "tile", "text": "Camera", "icon": "camera"},
             {"id": "note", "kind": "text", "text": "Hello"},
         ]},
         "target": "camera", "feedback": "Not there.", "success": "Yes."},
        {"id": "scan-notice", "type": "scan", "prompt": "Scan the code.", "hint": "Hold still.",
         "code": "TEST-QR1", "qr": {"kind": "link"}, "result": "A notice page."},
        _choice(),
    ]),
    "pay-check": _lesson("pay-check", "pay", 1, ["PAY-1", "PAY-2", "PAY-3"], steps=[
        {"id": "scan-pay", "type": "scan", "prompt": "Scan to pay.", "hint": "Hold still.",
         "code": "TEST-PAY1",
         "qr": {"kind": "vietqr", "account": "0123456789", "name": "NGUYEN THI LAN",
                "amount": 50000, "purpose": "Tra tien rau"},
         "result": "Pay NGUYEN THI LAN 50,000 VND."},
        {"id": "steps", "type": "order", "prompt": "Put in order.", "hint": "Open first.",
         "items": [{"id": "open", "text": "Open the app"}, {"id": "scan", "text": "Scan"},
                   {"id": "check", "text": "Check the name"}],
         "success": "Right order.", "feedback": "Not yet."},
        _choice(),
    ]),
    "gov-report": _lesson("gov-report", "gov", 1, ["GOV-1", "GOV-2", "GOV-3"], steps=[
        {"id": "fill", "type": "form", "prompt": "Report a broken lamp.", "hint": "The place.",
         "submit": "Send", "success": "Sent.",
         "fields": [
             {"id": "place", "label": "Place", "kind": "text", "required": True,
              "min_length": 5, "error": "Write the place."},
             {"id": "kind", "label": "Kind", "kind": "select",
              "options": ["Broken lamp", "Rubbish", "Flood"], "expected": "Broken lamp",
              "error": "Choose Broken lamp."},
             {"id": "code", "label": "Code", "kind": "digits", "length": 6,
              "error": "Six digits."},
         ]},
        _choice(),
    ]),
    "safe-spot": _lesson("safe-spot", "safe", 1, ["SAFE-1", "SAFE-2", "SAFE-3", "SAFE-4"], steps=[
        {"id": "spot", "type": "scam", "prompt": "Tap what looks wrong.", "hint": "The link.",
         "channel": "sms", "sender": "+84 88 123 4567",
         "lines": [
             {"id": "greet", "text": "Dear customer,"},
             {"id": "locked", "text": "Your account is LOCKED.", "flag": True,
              "why": "Banks do not say that by text."},
             {"id": "link", "text": "Open vcb-unlock.example to unlock", "flag": True,
              "why": "A strange link."},
         ],
         "find": 2, "safe_feedback": "That line is fine.", "success": "Well spotted."},
        {"id": "scan-card", "type": "scan", "prompt": "Scan the card.", "hint": "Hold still.",
         "code": "TEST-QR2", "qr": {"kind": "text", "text": "http://free-gift.example/get"},
         "result": "A link: http://free-gift.example/get"},
        _choice(),
    ]),
}


def translate(data: Any, key: str = "") -> Any:
    """An "English" copy: every text changes, the structure stays the same."""
    if isinstance(data, dict):
        return {k: translate(v, k) for k, v in data.items()}
    if isinstance(data, list):
        return [translate(item, key) for item in data]
    if isinstance(data, str) and (key in TEXT_KEYS or key in {"options", "expected"}):
        return f"{data} (en)"
    return data


class ContentTree:
    """A content folder in tmp_path with helpers to break it one thing at a time."""

    def __init__(self, tmp_path: Path) -> None:
        self.root = tmp_path / "content"
        (self.root / "vi" / "media").mkdir(parents=True)
        (self.root / "en" / "media").mkdir(parents=True)
        framework = yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8"))
        # The real framework, with paths through the four lessons of this tree.
        framework["paths"] = {group["id"]: ["safe-spot", "qr-scan", "pay-check", "gov-report"]
                              for group in framework["groups"]}
        self.write_framework(framework)
        (self.root / "archive").mkdir()
        for path in ARCHIVE.glob("*.yaml"):
            (self.root / "archive" / path.name).write_bytes(path.read_bytes())
        for data in LESSONS.values():
            self.write("vi", data)
            self.write("en", translate(data))

    def write_framework(self, data: dict[str, Any]) -> Path:
        path = self.root / "framework.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        return path

    def framework(self) -> dict[str, Any]:
        return yaml.safe_load((self.root / "framework.yaml").read_text(encoding="utf-8"))

    def edit_framework(self, change: Callable[[dict], None]) -> None:
        data = self.framework()
        change(data)
        self.write_framework(data)

    def warnings(self) -> list[ContentProblem]:
        return list(load_release(self.root).warnings)

    def path(self, lang: str, lesson_id: str) -> Path:
        return self.root / lang / f"{lesson_id}.yaml"

    def data(self, lang: str, lesson_id: str) -> dict[str, Any]:
        return yaml.safe_load(self.path(lang, lesson_id).read_text(encoding="utf-8"))

    def write(self, lang: str, data: dict[str, Any], name: str | None = None) -> Path:
        path = self.path(lang, name or data["id"])
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        return path

    def edit(self, lesson_id: str, change: Callable[[dict], None],
             langs: tuple[str, ...] = ("vi", "en")) -> None:
        """Apply `change` to the lesson's data in each of `langs` and write it back."""
        for lang in langs:
            data = copy.deepcopy(self.data(lang, lesson_id))
            change(data)
            self.write(lang, data, name=lesson_id)

    def line_of(self, lang: str, lesson_id: str, needle: str, nth: int = 1) -> int:
        """The line number of the `nth` line containing `needle`."""
        lines = self.path(lang, lesson_id).read_text(encoding="utf-8").splitlines()
        hits = [number for number, line in enumerate(lines, start=1) if needle in line]
        return hits[nth - 1]

    def load(self) -> ContentRelease:
        return load_release(self.root)

    def problems(self) -> list[ContentProblem]:
        try:
            load_release(self.root)
        except ContentError as error:
            return error.problems
        return []

    def messages(self) -> list[str]:
        return [str(problem) for problem in self.problems()]

    def problem(self, file: str, field: str) -> ContentProblem:
        """The one problem reported for `file` (e.g. "vi/qr-scan.yaml") and `field`."""
        name = f"content/{file}"
        found = [p for p in self.problems() if p.file == name and p.field == field]
        assert len(found) == 1, f"expected one problem for {name} {field}, got:\n" + "\n".join(
            str(p) for p in self.problems())
        return found[0]
