"""coachflow: supervisor-partnered workplace coaching engagements as typed state machines.

Run one engagement::

    import coachflow
    engagement = coachflow.Engagement("eng-1")
    engagement.apply({"engagement": "eng-1", "at": "2026-01-05T09:00:00Z", "actor": "sam",
                      "type": "engagement_opened", "coachee": "cleo", "supervisor": "sam"})
    unmet = [r.code for r in engagement.requirements("goal_setting") if not r.met]

Study many as a table (no confidential content reaches it)::

    frame = coachflow.to_pandas(coachflow.load_jsonl("engagements.jsonl", progress=True))
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, Iterable, Literal, overload

from coachflow._native import (
    BOUNDARY_CODES,
    __version__,
    CODES,
    METRICS_COLUMNS,
    ROLES,
    STAGES,
    CheckResult,
    Engagement,
    Finding,
    LogProblem,
    Requirement,
    Store,
    load_jsonl_native,
    metrics_table,
    partnering_signals,
    partnership_prompts,
    process_phases,
    read_lines,
    responsibilities,
    schema,
    script_guide,
)
from coachflow.errors import CoachflowError, LogError, RuleViolation, StoreError
from coachflow.types import EventInput, Limits, Role, Stage

if TYPE_CHECKING:
    import pandas

__all__ = [
    "__version__",
    "BOUNDARY_CODES",
    "CODES",
    "METRICS_COLUMNS",
    "ROLES",
    "STAGES",
    "CheckResult",
    "CoachflowError",
    "Engagement",
    "EventInput",
    "Finding",
    "Limits",
    "LogError",
    "LogProblem",
    "Requirement",
    "Role",
    "RuleViolation",
    "Stage",
    "Store",
    "StoreError",
    "load_jsonl",
    "metric_kind",
    "metrics_table",
    "partnering_signals",
    "partnership_prompts",
    "process_phases",
    "read_lines",
    "responsibilities",
    "schema",
    "script_guide",
    "to_arrow",
    "to_pandas",
]


@overload
def load_jsonl(
    path: str | os.PathLike[str],
    *,
    progress: bool = ...,
    errors: Literal["raise"] = ...,
    limits: Limits | None = ...,
) -> list[Engagement]: ...
@overload
def load_jsonl(
    path: str | os.PathLike[str],
    *,
    progress: bool = ...,
    errors: Literal["collect"],
    limits: Limits | None = ...,
) -> tuple[list[Engagement], list[LogProblem]]: ...
def load_jsonl(
    path: str | os.PathLike[str],
    *,
    progress: bool = False,
    errors: Literal["raise", "collect"] = "raise",
    limits: Limits | None = None,
) -> list[Engagement] | tuple[list[Engagement], list[LogProblem]]:
    """Loads every engagement of a JSON Lines log (events of many engagements, interleaved).

    The file is read in one call with the GIL released. A bad line never stops the load:
    with ``errors="raise"`` (the default) a :class:`LogError` naming the first bad line is
    raised once the file is read; with ``errors="collect"`` the good engagements come back
    with the list of :class:`LogProblem`. ``progress=True`` shows a progress bar (tqdm when
    installed, else a plain one on stderr). A file that cannot be opened raises the matching
    ``OSError`` subclass (``FileNotFoundError``, ``IsADirectoryError``, ...) naming the file.
    ``limits`` changes the size caps (:class:`Limits`); a line over one is a problem with
    code ``limit_exceeded``, and the rest of the file still loads.
    """
    if errors not in ("raise", "collect"):
        raise CoachflowError(f"errors must be 'raise' or 'collect', not {errors!r}", "invalid_argument")
    bar = _progress_bar(path) if progress else None
    try:
        engagements, problems, _lines, _events = load_jsonl_native(
            os.fspath(path), bar.update if bar else None, limits=limits
        )
    finally:
        if bar is not None:
            bar.close()
    if errors == "collect":
        return engagements, problems
    if problems:
        raise LogError(problems)
    return engagements


MetricKind = Literal["text", "flag", "date", "number", "count"]


def metric_kind(column: str) -> MetricKind:
    """What a column of :data:`METRICS_COLUMNS` holds: ``text``, ``flag`` (bool), ``date``,
    ``number`` (float, may be missing) or ``count`` (int). Arrow, pandas and Spark types follow."""
    if column not in METRICS_COLUMNS:
        raise CoachflowError(f"{column!r} is not a metrics column", "invalid_argument")
    if column in ("engagement", "stage", "discontinued_by", "latest_engagement_level"):
        return "text"
    if column in ("completed", "discontinued"):
        return "flag"
    if column.startswith("entered_"):
        return "date"
    if column.startswith("days_") or column == "mean_session_rating":
        return "number"
    return "count"


def to_arrow(engagements: Iterable[Engagement]) -> Any:
    """One row of metrics per engagement as a ``pyarrow.Table`` with typed columns (dates as
    ``date32``), for pandas, Polars or DuckDB without copying rows through Python again
    (needs ``pip install 'coachflow[arrow]'``)."""
    try:
        import pyarrow
    except ImportError as missing:
        raise ImportError("to_arrow needs pyarrow: pip install 'coachflow[arrow]'") from missing
    import datetime

    types = {
        "text": pyarrow.string(),
        "flag": pyarrow.bool_(),
        "date": pyarrow.date32(),
        "number": pyarrow.float64(),
        "count": pyarrow.int64(),
    }
    rows = metrics_table(engagements)
    columns: dict[str, list[Any]] = {column: [row[column] for row in rows] for column in METRICS_COLUMNS}
    for column in METRICS_COLUMNS:
        if metric_kind(column) == "date":
            columns[column] = [None if day is None else datetime.date.fromisoformat(day) for day in columns[column]]
    schema = pyarrow.schema([(column, types[metric_kind(column)]) for column in METRICS_COLUMNS])
    return pyarrow.table(columns, schema=schema)


def to_pandas(engagements: Iterable[Engagement] | Iterable[dict[str, Any]]) -> pandas.DataFrame:
    """One row of metrics per engagement, as a DataFrame (needs ``pip install coachflow[pandas]``):
    from engagements, or from metrics rows such as ``Store.metrics()`` returns.

    Columns are :data:`METRICS_COLUMNS`; ``entered_*`` columns are dates (``datetime64``).
    """
    try:
        import pandas
    except ImportError as missing:
        raise ImportError("to_pandas needs pandas: pip install 'coachflow[pandas]'") from missing
    items = list(engagements)
    rows = [item for item in items if isinstance(item, dict)]
    if len(rows) != len(items):
        rows = metrics_table(items)  # type: ignore[arg-type]
    frame = pandas.DataFrame.from_records(rows, columns=list(METRICS_COLUMNS))
    for column in METRICS_COLUMNS:
        if column.startswith("entered_"):
            frame[column] = pandas.to_datetime(frame[column])
    return frame


class _Bar:
    """Progress of a file read, in bytes: tqdm when installed, else a line on stderr."""

    def __init__(self, total: int, label: str) -> None:
        self.total = max(total, 1)
        self.label = label
        self.seen = 0
        self.tqdm: Any = None
        try:
            from tqdm.auto import tqdm
        except ImportError:
            return
        self.tqdm = tqdm(total=total, unit="B", unit_scale=True, desc=label)

    def update(self, bytes_read: int) -> None:
        if self.tqdm is not None:
            self.tqdm.update(bytes_read - self.seen)
        else:
            percent = 100 * bytes_read // self.total
            print(f"\r{self.label}: {percent:3d}% of {self.total / 1e6:.1f} MB", end="", file=sys.stderr, flush=True)
        self.seen = bytes_read

    def close(self) -> None:
        if self.tqdm is not None:
            self.tqdm.close()
        else:
            print(file=sys.stderr)


def _progress_bar(path: str | os.PathLike[str]) -> _Bar | None:
    try:
        size = os.path.getsize(path)
    except OSError:
        return None  # the load itself reports the missing file
    return _Bar(size, os.path.basename(os.fspath(path)))


