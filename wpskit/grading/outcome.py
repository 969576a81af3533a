"""What ``autograde`` did to each submission."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Status = Literal["graded", "failed", "unchanged"]


@dataclass(frozen=True)
class Outcome:
    """What happened to one participant's submission."""

    participant_id: str
    status: Status
    reason: str = ""


@dataclass
class AutogradeResult:
    """Per-participant outcomes of one run; the CLI prints them."""

    form: str
    outcomes: list[Outcome] = field(default_factory=list)

    def _with(self, status: Status) -> list[Outcome]:
        return sorted((o for o in self.outcomes if o.status == status), key=lambda o: o.participant_id)

    @property
    def graded(self) -> list[str]:
        return [o.participant_id for o in self._with("graded")]

    @property
    def unchanged(self) -> list[str]:
        return [o.participant_id for o in self._with("unchanged")]

    @property
    def failed(self) -> dict[str, str]:
        return {o.participant_id: o.reason for o in self._with("failed")}
