"""What an import did, for the facilitator's one line."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ImportResult:
    """How many scores (or survey answers) an import wrote and left as they were, and what to tell about it."""

    changed: int
    unchanged: int
    submissions: int
    warnings: list[str] = field(default_factory=list)

    noun: str = "scores"

    def summary(self) -> str:
        whom = "1 participant's form" if self.submissions == 1 else f"{self.submissions} participants' forms"
        return f"{self.changed} {self.noun} written, {self.unchanged} unchanged, for {whom}"
