"""What an import did, for the facilitator's one line."""

from __future__ import annotations

from dataclasses import dataclass, field

from wpskit.words import counted, label


@dataclass(frozen=True)
class ImportResult:
    """How many scores (or survey answers) an import wrote and left as they were, and what to tell about it."""

    changed: int
    unchanged: int
    submissions: int
    warnings: list[str] = field(default_factory=list)

    noun: str = "scores"

    def summary(self) -> str:
        return counted("cli.import_summary", self.submissions, changed=self.changed, unchanged=self.unchanged,
                       what=label(f"cli.import_{self.noun}"))
