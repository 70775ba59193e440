"""YAML reading that remembers line numbers, and a field checker that reports with them."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from hue_literacy.content.errors import ContentProblem


class LineDict(dict):
    """A mapping that knows the line of each of its keys (1-based)."""

    line: int = 0
    key_lines: dict


class LineList(list):
    """A sequence that knows the line of each of its items (1-based)."""

    line: int = 0
    item_lines: list


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml's parser where PyYAML was built with it (the wheels are): the pure-Python one
    took 2 of the 5 s of CPU a server spent starting (py-spy), reading every lesson."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_timestamp_as_text(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    return loader.construct_scalar(node)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
# Dates stay text ("2026-11-01"): the checker validates them and JSON can carry them.
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)
# Only true/false are booleans (as in YAML 1.2): an option `id: no` or `id: yes` stays text.
_BOOL_TAG = "tag:yaml.org,2002:bool"
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LineLoader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class Problems:
    """Collects every content problem instead of stopping at the first."""

    def __init__(self, root: Path | None = None) -> None:
        self.items: list[ContentProblem] = []
        self.warnings: list[ContentProblem] = []
        self.root = root

    def name(self, path: Path) -> str:
        if self.root:
            try:
                return str(path.relative_to(self.root.parent))
            except ValueError:
                pass
        return str(path)

    def add(self, path: Path, field: str, message: str, line: int | None = None) -> None:
        self.items.append(ContentProblem(self.name(path), field, message, line))

    def warn(self, path: Path, field: str, message: str, line: int | None = None) -> None:
        """Record something to fix that does not stop the content from loading."""
        self.warnings.append(ContentProblem(self.name(path), field, message, line))

    def count_for(self, path: Path) -> int:
        name = self.name(path)
        return sum(1 for problem in self.items if problem.file == name)

    def checker(self, path: Path, data: Any, prefix: str = "") -> Checker:
        return Checker(self, path, data, prefix)

    def __bool__(self) -> bool:
        return bool(self.items)


def load_yaml_with_lines(path: Path, problems: Problems) -> Any:
    """Parse one YAML file; on a syntax error add a problem and return None."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.add(path, "(file)", "file is missing")
        return None
    except UnicodeDecodeError:
        problems.add(path, "(file)", "file is not UTF-8 text")
        return None
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(error, "problem", None) or str(error)
        problems.add(path, "(syntax)", f"not valid YAML: {reason}", line)
        return None
    if data is None:
        problems.add(path, "(file)", "file is empty; expected a mapping of fields")
        return None
    if not isinstance(data, dict):
        problems.add(path, "(file)", "expected a mapping of fields at the top level")
        return None
    return data


class Checker:
    """Reads fields of one mapping, recording a clear problem for each missing or wrong one."""

    def __init__(self, problems: Problems, path: Path, data: Any, prefix: str) -> None:
        self.problems = problems
        self.path = path
        self.prefix = prefix
        self.valid = isinstance(data, dict)
        self.data: dict = data if self.valid else {}
        if not self.valid and data is not None:
            self.problem("", "expected a mapping of fields", getattr(data, "line", None))

    def field_name(self, key: str) -> str:
        if not key:
            return self.prefix or "(top)"
        return f"{self.prefix}.{key}" if self.prefix else key

    def line_of(self, key: str) -> int | None:
        lines = getattr(self.data, "key_lines", None)
        if lines and key in lines:
            return lines[key]
        return getattr(self.data, "line", None)

    def problem(self, key: str, message: str, line: int | None = None) -> None:
        self.problems.add(self.path, self.field_name(key), message, line or self.line_of(key))

    def warn(self, key: str, message: str, line: int | None = None) -> None:
        self.problems.warn(self.path, self.field_name(key), message, line or self.line_of(key))

    def sub(self, data: Any, prefix: str) -> Checker:
        return Checker(self.problems, self.path, data, prefix)

    def has(self, key: str) -> bool:
        return key in self.data and self.data[key] is not None

    def _required(self, key: str, required: bool, what: str) -> Any:
        if not self.has(key):
            if required and self.valid:
                self.problem(key, f"missing; expected {what}")
            return None
        return self.data[key]

    def string(
        self, key: str, required: bool = True, pattern: str | None = None, what: str = "text"
    ) -> str:
        value = self._required(key, required, what)
        if value is None:
            return ""
        if isinstance(value, bool):
            self.problem(key, f"expected {what}, found {str(value).lower()} (put the text in "
                         "quotes)")
            return ""
        if not isinstance(value, str | int | float):
            self.problem(key, f"expected {what}, found {type(value).__name__}")
            return ""
        text = str(value).strip()
        if not text and required:
            self.problem(key, f"is empty; expected {what}")
        elif pattern and text and not re.fullmatch(pattern, text):
            self.problem(key, f"'{text}' is not valid; expected {what}")
        return text

    def integer(
        self, key: str, required: bool = True, minimum: int | None = None,
        maximum: int | None = None,
    ) -> int:
        value = self._required(key, required, "a whole number")
        if value is None:
            return 0
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(key, f"expected a whole number, found '{value}'")
            return 0
        if minimum is not None and value < minimum:
            self.problem(key, f"expected a whole number of at least {minimum}, found {value}")
        elif maximum is not None and value > maximum:
            self.problem(key, f"expected a whole number of at most {maximum}, found {value}")
        return value

    def boolean(self, key: str, default: bool = False) -> bool:
        if not self.has(key):
            return default
        value = self.data[key]
        if not isinstance(value, bool):
            self.problem(key, f"expected true or false, found '{value}'")
            return default
        return value

    def mapping(self, key: str, required: bool = True) -> dict:
        value = self._required(key, required, "a mapping of fields")
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(key, "expected a mapping of fields")
            return {}
        return value

    def list(
        self, key: str, required: bool = True, min_items: int = 1, max_items: int | None = None
    ) -> list:
        value = self._required(key, required, "a list")
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(key, "expected a list")
            return []
        if max_items is not None and not min_items <= len(value) <= max_items:
            self.problem(
                key, f"expected {min_items} to {max_items} items, found {len(value)}"
            )
        elif len(value) < min_items:
            self.problem(key, f"expected at least {min_items} item(s), found {len(value)}")
        return value

    def section(self, key: str) -> Checker | None:
        """A checker for the mapping under `key`, or None (with a problem) if it is not one."""
        value = self.mapping(key)
        if not isinstance(self.data.get(key), dict):
            return None
        if not value:
            self.problem(key, "is empty; expected a mapping of fields")
            return None
        return self.sub(value, self.field_name(key))

    def each(
        self, key: str, required: bool = True, min_items: int = 1, max_items: int | None = None
    ) -> list[tuple[int, Checker]]:
        """Check a list of mappings; return a checker for each item that is a mapping."""
        items = self.list(key, required, min_items, max_items)
        lines = getattr(items, "item_lines", [])
        checkers = []
        for index, item in enumerate(items):
            prefix = f"{self.field_name(key)}[{index}]"
            if isinstance(item, dict):
                checkers.append((index, self.sub(item, prefix)))
                continue
            line = lines[index] if index < len(lines) else self.line_of(key)
            found = "an empty item" if item is None else f"'{item}'"
            self.problems.add(self.path, prefix, f"expected a mapping of fields, found {found}",
                              line)
        return checkers

    def item_line(self, key: str, index: int) -> int | None:
        """Line of item `index` of the list under `key` (the list's line if unknown)."""
        lines = getattr(self.data.get(key), "item_lines", None)
        if lines and index < len(lines):
            return lines[index]
        return self.line_of(key)

    def one_of(self, key: str, allowed: tuple[str, ...], required: bool = True) -> str:
        """A text that must be one of `allowed`."""
        what = "one of " + ", ".join(allowed)
        value = self.string(key, required, what=what)
        if value and value not in allowed:
            self.problem(key, f"'{value}' is not valid; expected {what}")
            return ""
        return value

    def date(self, key: str, required: bool = True) -> str:
        """A calendar date written YYYY-MM-DD, kept as text."""
        what = "a date written YYYY-MM-DD"
        value = self.string(key, required, pattern=r"\d{4}-\d{2}-\d{2}", what=what)
        if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            try:
                date.fromisoformat(value)
            except ValueError:
                self.problem(key, f"'{value}' is not a real date; expected {what}")
                return ""
        return value

    def string_list(self, key: str, required: bool = True) -> list[str]:
        items = self.list(key, required)
        good = []
        for index, item in enumerate(items):
            if isinstance(item, str) and item.strip():
                good.append(item.strip())
            else:
                self.problem(key, f"expected a list of texts, found '{item}'",
                             self.item_line(key, index))
        return good

    def texts(self, key: str, langs: tuple[str, ...] = ("vi", "en")) -> dict[str, str]:
        """A text given in every language: `{vi: ..., en: ...}`."""
        value = self.mapping(key)
        sub = self.sub(value, self.field_name(key))
        if not value:
            return {}
        for extra in value:
            if extra not in langs:
                # Usually a comma inside `{vi: a, b, en: c}`: YAML reads "b" as another key.
                sub.problem(str(extra), "unknown field; expected only " + ", ".join(langs)
                            + " (put a text holding a comma in quotes)")
        return {lang: sub.string(lang, what=f"the {lang} text") for lang in langs}

    def unknown_keys(self, allowed: set[str]) -> None:
        for key in self.data:
            if key not in allowed:
                self.problem(
                    str(key), "unknown field; expected one of " + ", ".join(sorted(allowed))
                )
