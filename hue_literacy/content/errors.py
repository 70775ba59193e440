"""Content problems, each naming the file, the field (and line when known) and what is expected."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ContentProblem:
    file: str
    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}"


class ContentError(Exception):
    """Raised when content is invalid; the app refuses to start rather than serve half of it."""

    def __init__(self, problems: list[ContentProblem],
                 warnings: tuple[ContentProblem, ...] = ()) -> None:
        self.problems = problems
        self.warnings = warnings
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{len(problems)} content problem(s):\n{lines}")
