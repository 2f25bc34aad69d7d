"""Type stubs of the native module; import from ``coachflow``, not from here."""

import datetime
import os
from typing import Any, Callable, Iterable, final

from coachflow.types import EventInput, Limits, Role, Stage

__all__ = [
    "__version__",
    "BOUNDARY_CODES",
    "CODES",
    "METRICS_COLUMNS",
    "ROLES",
    "STAGES",
    "CheckResult",
    "Engagement",
    "Finding",
    "LogProblem",
    "Requirement",
    "Store",
    "load_jsonl_native",
    "metrics_table",
    "partnering_signals",
    "partnership_prompts",
    "process_phases",
    "read_lines",
    "responsibilities",
    "schema",
    "script_guide",
]

STAGES: tuple[Stage, ...]
ROLES: tuple[Role, ...]
CODES: tuple[str, ...]
BOUNDARY_CODES: tuple[str, ...]
METRICS_COLUMNS: tuple[str, ...]
__version__: str

@final
class Finding:
    """One violated rule or one warning."""

    @property
    def code(self) -> str: ...
    @property
    def rule(self) -> str: ...
    @property
    def message(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Requirement:
    """One guard of a target stage and whether it holds."""

    @property
    def code(self) -> str: ...
    @property
    def rule(self) -> str: ...
    @property
    def met(self) -> bool: ...
    @property
    def message(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class CheckResult:
    """The verdict of ``check``: whether the event would apply, every violated rule, and
    the warnings it would bring. True when ``ok``."""

    @property
    def ok(self) -> bool: ...
    @property
    def violations(self) -> list[Finding]: ...
    @property
    def warnings(self) -> list[Finding]: ...
    @property
    def codes(self) -> list[str]: ...
    def __bool__(self) -> bool: ...

@final
class LogProblem:
    """A line of a log that could not be applied."""

    @property
    def line(self) -> int: ...
    @property
    def engagement(self) -> str | None: ...
    @property
    def violations(self) -> list[Finding]: ...
    @property
    def codes(self) -> list[str]: ...

@final
class Engagement:
    """One coaching engagement: the fold of its events. Safe to share between threads."""

    def __new__(cls, id: str, *, limits: Limits | None = None) -> Engagement: ...
    @staticmethod
    def replay(events: Iterable[EventInput] | str, *, limits: Limits | None = None) -> Engagement: ...
    def apply(self, event: EventInput) -> list[Finding]: ...
    def check(self, event: EventInput) -> CheckResult: ...
    def requirements(self, stage: Stage) -> list[Requirement]: ...
    def allowed_events(self, participant: str) -> list[str]: ...
    def obligations(self, as_of: datetime.date | str, viewer: str) -> list[dict[str, Any]]: ...
    def view(self, participant: str) -> dict[str, Any]: ...
    def redacted_log(self, viewer: str) -> list[dict[str, Any]]: ...
    def view_as(self, role: Role) -> dict[str, Any]: ...
    def metrics(self) -> dict[str, Any]: ...
    def explain_visibility(self, viewer: str, record: str) -> dict[str, Any]: ...
    def to_jsonl(self) -> str: ...
    @property
    def id(self) -> str: ...
    @property
    def stage(self) -> Stage: ...
    @property
    def participants(self) -> dict[str, Any]: ...
    def __len__(self) -> int: ...

def load_jsonl_native(
    path: str | os.PathLike[str],
    on_progress: Callable[[int], object] | None = None,
    every_bytes: int = 4194304,
    limits: Limits | None = None,
) -> tuple[list[Engagement], list[LogProblem], int, int]: ...
def metrics_table(engagements: Iterable[Engagement]) -> list[dict[str, Any]]: ...

def read_lines(lines: list[str], *, limits: Limits | None = None) -> tuple[list[Engagement], list[LogProblem]]:
    """Reads log lines in memory as the file reader would; problems count lines from 1."""

def responsibilities(role: Role) -> list[dict[str, str]]:
    """What ``role`` commits to: ``{id, text, locale}`` items."""

def script_guide(step: str) -> dict[str, Any]:
    """What a built-in session step is for (``purpose``), who ``leads`` it, and ``questions``."""

def partnership_prompts(phase: str) -> dict[str, Any]:
    """The ``questions`` that show a coach is partnering in one phase of a session."""

def partnering_signals() -> list[dict[str, str]]:
    """The six signs that a coach was not partnering: ``{code, text, locale}``."""

def process_phases() -> list[dict[str, Any]]:
    """The five phases of the coaching process, with their ``stages`` and ``event_types``."""

def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of an event: the envelope and every event type."""

@final
class Store:
    """An engagement store: ``Store("sqlite:coachflow.db")`` or
    ``Store("postgres://user@host:port/database")`` (docs/store.md). Database work runs with
    the GIL released; each process opens its own. A snapshot of an engagement is written
    each time ``snapshot_every`` more of its events are stored (0: never)."""

    def __new__(cls, url: str, snapshot_every: int = 100) -> Store: ...
    def append(self, event: EventInput) -> dict[str, Any]: ...
    def load(self, engagement: str) -> Engagement | None: ...
    def engagements(self, stage: Stage | None = None) -> list[dict[str, Any]]: ...
    def due(self, as_of: datetime.date | str) -> list[dict[str, Any]]: ...
    def metrics(self) -> list[dict[str, Any]]: ...
    def since(self, after: int = 0, limit: int = 1000) -> list[dict[str, Any]]: ...
    def import_jsonl(self, path: str | os.PathLike[str]) -> dict[str, Any]: ...
    def export_jsonl(self, path: str | os.PathLike[str]) -> int: ...
