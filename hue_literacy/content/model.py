"""The lesson model: a frozen dataclass per lesson, per step type and per part of a step."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar


@dataclass(frozen=True)
class Source:
    title: str
    url: str
    checked: str


@dataclass(frozen=True, kw_only=True)
class Step:
    """What every step has; `hint` is required on practice steps (all but info)."""

    type: ClassVar[str] = ""
    practice: ClassVar[bool] = True

    id: str
    hint: str = ""
    audio: str | None = None
    image: str | None = None
    alt: str = ""


@dataclass(frozen=True, kw_only=True)
class InfoStep(Step):
    type: ClassVar[str] = "info"
    practice: ClassVar[bool] = False

    text: str


@dataclass(frozen=True)
class ChoiceOption:
    id: str
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True, kw_only=True)
class ChoiceStep(Step):
    type: ClassVar[str] = "choice"

    prompt: str
    options: tuple[ChoiceOption, ...]

    @property
    def correct_option(self) -> ChoiceOption:
        return next(option for option in self.options if option.correct)


@dataclass(frozen=True)
class ScreenElement:
    id: str
    kind: str
    text: str
    icon: str | None = None
    feedback: str = ""  # said when this (wrong) element is tapped; else the step's feedback


@dataclass(frozen=True)
class Screen:
    app: str
    title: str
    elements: tuple[ScreenElement, ...]


@dataclass(frozen=True, kw_only=True)
class TapStep(Step):
    type: ClassVar[str] = "tap"

    prompt: str
    screen: Screen
    target: str
    feedback: str
    success: str


@dataclass(frozen=True)
class OrderItem:
    id: str
    text: str


@dataclass(frozen=True, kw_only=True)
class OrderStep(Step):
    """Put the items in order; `items` are in the correct order, the player shuffles them."""

    type: ClassVar[str] = "order"

    prompt: str
    items: tuple[OrderItem, ...]
    success: str
    feedback: str


@dataclass(frozen=True)
class FormField:
    id: str
    label: str
    kind: str
    error: str
    required: bool = False
    min_length: int | None = None
    length: int | None = None
    options: tuple[str, ...] = ()
    expected: str | None = None
    expected_error: str | None = None

    @property
    def wrong_value_message(self) -> str:
        """What the player says when the value differs from `expected`."""
        return self.expected_error or self.error

    def accepts(self, value: str) -> bool:
        """Tell whether `value` is the expected one (digits ignore spaces and dots)."""
        if self.expected is None:
            return True
        if self.kind in ("digits", "tel"):
            return normalise_digits(value) == normalise_digits(self.expected)
        return " ".join(value.split()).casefold() == " ".join(self.expected.split()).casefold()


def normalise_digits(value: str) -> str:
    """A number as typed ("60.000", "0912 345 678") without its spaces and dots."""
    return re.sub(r"[\s.]", "", value)


@dataclass(frozen=True, kw_only=True)
class FormStep(Step):
    type: ClassVar[str] = "form"

    prompt: str
    submit: str
    fields: tuple[FormField, ...]
    success: str


@dataclass(frozen=True)
class QrSpec:
    """What a practice QR code holds: a link to this app, a practice VietQR, or a text."""

    kind: str
    text: str | None = None
    account: str | None = None
    name: str | None = None
    amount: int | None = None
    purpose: str | None = None


@dataclass(frozen=True, kw_only=True)
class ScanStep(Step):
    type: ClassVar[str] = "scan"

    prompt: str
    code: str
    qr: QrSpec
    result: str


@dataclass(frozen=True)
class ScamLine:
    id: str
    text: str
    flag: bool = False
    why: str = ""


@dataclass(frozen=True, kw_only=True)
class ScamStep(Step):
    type: ClassVar[str] = "scam"

    prompt: str
    channel: str
    sender: str
    lines: tuple[ScamLine, ...]
    find: int
    safe_feedback: str
    success: str

    @property
    def flagged(self) -> tuple[ScamLine, ...]:
        return tuple(line for line in self.lines if line.flag)


@dataclass(frozen=True)
class Lesson:
    id: str
    lang: str
    version: int
    area: str
    order: int
    competencies: tuple[str, ...]
    minutes: int
    title: str
    summary: str
    next: str | None
    sources: tuple[Source, ...]
    steps: tuple[Step, ...]
    path: Path = field(compare=False, repr=False)
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False, hash=False)

    def step(self, step_id: str) -> Step | None:
        return next((step for step in self.steps if step.id == step_id), None)

    def line(self, field_path: str) -> int | None:
        """Line of a field such as `steps[2].options[1].correct`, or of its nearest parent."""
        path = field_path
        while path:
            if path in self.lines:
                return self.lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return None
