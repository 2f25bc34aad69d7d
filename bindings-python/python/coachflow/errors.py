"""The exceptions coachflow raises. Every one is a ``ValueError`` with a stable ``code``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from coachflow._native import Finding, LogProblem


class CoachflowError(ValueError):
    """Base class. ``code`` is a rule code (``"wrong_stage"``) or a boundary code
    (``"invalid_argument"``, ``"internal_error"``)."""

    code: str

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class RuleViolation(CoachflowError):
    """An event broke one or more rules; nothing was changed.

    ``violations`` lists every broken rule; ``code`` is the first one's. ``index`` is the
    position of the rejected event when a whole log was replayed, else ``None``.
    """

    violations: list[Finding]
    index: int | None

    def __init__(self, message: str, violations: Sequence[Finding], index: int | None = None) -> None:
        super().__init__(message, violations[0].code if violations else "invalid_event")
        self.violations = list(violations)
        self.index = index

    @property
    def codes(self) -> list[str]:
        """The codes of every violation, in order."""
        return [finding.code for finding in self.violations]


class LogError(CoachflowError):
    """A line of a JSON Lines log could not be applied.

    ``line`` is the first bad line (1-based); ``problems`` holds every bad line.
    """

    line: int
    problems: list[LogProblem]

    def __init__(self, problems: Sequence[LogProblem]) -> None:
        first = problems[0]
        findings = "; ".join(f"{finding.code}: {finding.message}" for finding in first.violations)
        more = f" (and {len(problems) - 1} more bad lines)" if len(problems) > 1 else ""
        super().__init__(f"line {first.line}: {findings}{more}", first.violations[0].code)
        self.line = first.line
        self.problems = list(problems)


class StoreError(CoachflowError):
    """A store call failed for a reason other than the event's rules. ``code`` is one of
    ``concurrent_update`` (another writer stored this ``seq`` first: reload and retry),
    ``store_unavailable``, ``store_corrupt``, ``store_foreign``, ``store_too_new``,
    ``invalid_store_url`` or ``io_error`` (docs/store.md). A rejected event raises
    ``RuleViolation`` instead."""
