"""coachflow in Apache Spark: programme-wide metrics and problems from logs in a data lake.

The same rules and the same confidentiality as everywhere else: each engagement's lines are
replayed by the Rust core on the executors, and only what :func:`coachflow.to_pandas` would
give comes back (metrics), never content. Install with ``pip install 'coachflow[spark]'`` on
the driver and ship the same wheel to the executors (README, "Spark")::

    from coachflow import spark as coachflow_spark
    lines = session.read.text("s3://lake/coaching/*.jsonl")     # one column, `value`
    metrics = coachflow_spark.metrics(lines)                    # one row per engagement
    problems = coachflow_spark.problems(lines)                  # the rejected lines

Lines are grouped by engagement and replayed in their log order: by ``seq`` when every line
of the engagement has one, otherwise by file and line position (kept from the read, before
any shuffle). Lines whose engagement cannot be read form one group of their own, so they
show up in :func:`problems` like every other bad line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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


def _keyed(lines: DataFrame) -> DataFrame:
    """The lines with what ordering and grouping need, computed at the read: the file, the
    line's number in it, the engagement and `seq` (both `null` when unreadable)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    read = lines.select(
        F.col("value"),
        F.input_file_name().alias("file"),
        F.monotonically_increasing_id().alias("position"),
    )
    return read.select(
        "value",
        "file",
        F.row_number().over(Window.partitionBy("file").orderBy("position")).cast("bigint").alias("line"),
        F.get_json_object("value", "$.engagement").alias("engagement"),
        F.get_json_object("value", "$.seq").cast("bigint").alias("seq"),
    )


def _in_log_order(group: pandas.DataFrame) -> pandas.DataFrame:
    if group["seq"].notna().all():
        return group.sort_values(["seq", "file", "line"], kind="stable")
    return group.sort_values(["file", "line"], kind="stable")


def _replay(group: pandas.DataFrame) -> tuple[pandas.DataFrame, list[coachflow.Engagement], list[coachflow.LogProblem]]:
    ordered = _in_log_order(group)
    engagements, found = coachflow.read_lines([str(value) for value in ordered["value"]])
    return ordered, engagements, found


def _metrics_of_group(group: pandas.DataFrame) -> pandas.DataFrame:
    import pandas

    _, engagements, _ = _replay(group)
    frame = pandas.DataFrame.from_records(coachflow.metrics_table(engagements), columns=list(coachflow.METRICS_COLUMNS))
    for column in coachflow.METRICS_COLUMNS:
        if coachflow.metric_kind(column) == "date":
            frame[column] = pandas.to_datetime(frame[column]).dt.date
    return frame


def _problems_of_group(group: pandas.DataFrame) -> pandas.DataFrame:
    import pandas

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
    return pandas.DataFrame(rows, columns=list(PROBLEM_COLUMNS))


def metrics(lines: DataFrame) -> DataFrame:
    """One row of metrics per engagement from a DataFrame of raw JSON lines (the ``value``
    column of ``spark.read.text``), with exactly the columns of
    :data:`coachflow.METRICS_COLUMNS`, typed (``entered_*`` are dates)."""
    return _keyed(lines).groupBy("engagement").applyInPandas(_metrics_of_group, schema=metrics_schema())


def problems(lines: DataFrame) -> DataFrame:
    """Every finding of every rejected line: engagement, file, line (1-based, in its file),
    code, rule and message; the same problems :func:`coachflow.load_jsonl` reports with
    ``errors="collect"``."""
    return _keyed(lines).groupBy("engagement").applyInPandas(_problems_of_group, schema=problems_schema())
