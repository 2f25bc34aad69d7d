"""coachflow in Apache Spark: programme-wide metrics and problems from logs in a data lake.

The same rules and the same confidentiality as everywhere else: each engagement's lines are
replayed by the Rust core on the executors, and only what :func:`coachflow.to_pandas` would
give comes back (metrics), never content. Install with ``pip install 'coachflow[spark]'`` on
the driver and ship the same wheel to the executors (README, "Spark")::

    from coachflow import spark as coachflow_spark
    lines = session.read.text("s3://lake/coaching/*.jsonl")     # one column, `value`
    metrics = coachflow_spark.metrics(lines)                    # one row per engagement
    problems = coachflow_spark.problems(lines)                  # the rejected lines

Each engagement's lines are brought into one partition (sorted by engagement, so that
``mapInPandas`` handles many engagements per Arrow batch) and replayed in their log order: by ``seq`` when every line
of the engagement has one, otherwise by file and line position (kept from the read, before
any shuffle). Lines whose engagement cannot be read form one group of their own, so they
show up in :func:`problems` like every other bad line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

import coachflow

if TYPE_CHECKING:
    import pandas
    from pyspark.sql import DataFrame

__all__ = ["metrics", "metrics_schema", "problems", "problems_schema"]

#: The columns of :func:`problems`.
PROBLEM_COLUMNS = ("engagement", "file", "line", "code", "rule", "message")


def _spark_type(column: str) -> str:
    """The Spark SQL type of a metrics column (the same rule as :func:`coachflow.to_arrow`)."""
    kind = coachflow.metric_kind(column)
    return {"text": "string", "flag": "boolean", "date": "date", "number": "double", "count": "bigint"}[kind]


def metrics_schema() -> str:
    """The Spark DDL schema of :func:`metrics`: exactly :data:`coachflow.METRICS_COLUMNS`."""
    return ", ".join(f"{column} {_spark_type(column)}" for column in coachflow.METRICS_COLUMNS)


def problems_schema() -> str:
    """The Spark DDL schema of :func:`problems`."""
    return "engagement string, file string, line bigint, code string, rule string, message string"


def _keyed(lines: DataFrame, numbered: bool) -> DataFrame:
    """The lines with what ordering and grouping need, computed at the read: the file, the
    line's place in it, the engagement and `seq` (both `null` when unreadable). The place is
    the read's increasing id, which orders a file's lines; `numbered` turns it into the
    1-based line number (a sort of each file, so only :func:`problems` pays for it)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    read = lines.select(
        F.col("value"),
        F.input_file_name().alias("file"),
        F.monotonically_increasing_id().alias("line"),
    )
    if numbered:
        read = read.withColumn("line", F.row_number().over(Window.partitionBy("file").orderBy("line")).cast("bigint"))
    return read.select(
        "value",
        "file",
        "line",
        F.get_json_object("value", "$.engagement").alias("engagement"),
        F.get_json_object("value", "$.seq").cast("bigint").alias("seq"),
    )


def _in_log_order(group: pandas.DataFrame) -> pandas.DataFrame:
    if group["seq"].notna().all():
        return group.sort_values(["seq", "file", "line"], kind="stable")
    return group.sort_values(["file", "line"], kind="stable")


def _groups(batches: Iterator[pandas.DataFrame]) -> Iterator[pandas.DataFrame]:
    """The engagements of a partition sorted by engagement, one DataFrame each, from Arrow
    batches that may cut an engagement in two."""
    import pandas

    pending: pandas.DataFrame | None = None
    for batch in batches:
        if pending is not None:
            batch = pandas.concat([pending, batch], ignore_index=True)
        if batch.empty:
            continue
        keys = batch["engagement"].fillna("\x00").to_numpy()
        # The last engagement of the batch may go on in the next one: keep it back.
        last = keys[-1]
        cut = len(keys)
        while cut > 0 and keys[cut - 1] == last:
            cut -= 1
        complete, pending = batch.iloc[:cut], batch.iloc[cut:]
        if not complete.empty:
            yield from (group for _, group in complete.groupby("engagement", sort=False, dropna=False))
    if pending is not None and not pending.empty:
        yield pending


def _replay(group: pandas.DataFrame) -> tuple[pandas.DataFrame, list[coachflow.Engagement], list[coachflow.LogProblem]]:
    ordered = _in_log_order(group)
    engagements, found = coachflow.read_lines([str(value) for value in ordered["value"]])
    return ordered, engagements, found


def _metrics_frame(engagements: list[coachflow.Engagement]) -> pandas.DataFrame:
    import pandas

    frame = pandas.DataFrame.from_records(coachflow.metrics_table(engagements), columns=list(coachflow.METRICS_COLUMNS))
    for column in coachflow.METRICS_COLUMNS:
        if coachflow.metric_kind(column) == "date":
            frame[column] = pandas.to_datetime(frame[column]).dt.date
    return frame


def _metrics_of(batches: Iterator[pandas.DataFrame]) -> Iterator[pandas.DataFrame]:
    engagements: list[coachflow.Engagement] = []
    for group in _groups(batches):
        engagements.extend(_replay(group)[1])
        if len(engagements) >= 2000:
            yield _metrics_frame(engagements)
            engagements = []
    if engagements:
        yield _metrics_frame(engagements)


def _problems_of(batches: Iterator[pandas.DataFrame]) -> Iterator[pandas.DataFrame]:
    import pandas

    for group in _groups(batches):
        ordered, _, found = _replay(group)
        rows: list[dict[str, Any]] = []
        for problem in found:
            source = ordered.iloc[problem.line - 1]
            for finding in problem.violations:
                rows.append(
                    {
                        "engagement": problem.engagement,
                        "file": source["file"],
                        "line": int(source["line"]),
                        "code": finding.code,
                        "rule": finding.rule,
                        "message": finding.message,
                    }
                )
        if rows:
            yield pandas.DataFrame(rows, columns=list(PROBLEM_COLUMNS))


def _by_engagement(lines: DataFrame, numbered: bool) -> DataFrame:
    """Every engagement's lines in one partition, sorted by engagement: `mapInPandas` then
    sees many engagements per Arrow batch instead of paying for one batch per engagement."""
    keyed = _keyed(lines, numbered)
    return keyed.repartition("engagement").sortWithinPartitions("engagement")


def metrics(lines: DataFrame) -> DataFrame:
    """One row of metrics per engagement from a DataFrame of raw JSON lines (the ``value``
    column of ``spark.read.text``), with exactly the columns of
    :data:`coachflow.METRICS_COLUMNS`, typed (``entered_*`` are dates)."""
    return _by_engagement(lines, numbered=False).mapInPandas(_metrics_of, schema=metrics_schema())


def problems(lines: DataFrame) -> DataFrame:
    """Every finding of every rejected line: engagement, file, line (1-based, in its file),
    code, rule and message; the same problems :func:`coachflow.load_jsonl` reports with
    ``errors="collect"``."""
    return _by_engagement(lines, numbered=True).mapInPandas(_problems_of, schema=problems_schema())
