"""coachflow.spark in a real local Spark (scripts/test-spark): metrics and problems equal what
one process computes, whether an engagement's lines are spread over many files (with `seq`)
or kept in one (the partitioned export), and no confidential text reaches any output."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pyspark = pytest.importorskip("pyspark")
pandas = pytest.importorskip("pandas")

import coachflow  # noqa: E402
from coachflow import spark as coachflow_spark  # noqa: E402

CLI = os.environ.get("COACHFLOW_CLI", "coachflow")
MARKER = "CANARY-SPARK-NOTE"


@pytest.fixture(scope="module")
def session() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("coachflow-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    yield spark
    spark.stop()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2,000 generated engagements, with a confidential note planted in every summary."""
    folder = tmp_path_factory.mktemp("log")
    log = folder / "engagements.jsonl"
    subprocess.run([CLI, "generate", "--engagements", "2000", "--seed", "11", "--out", str(log)], check=True)
    text = log.read_text().replace("Halfway: delegation", f"{MARKER} delegation")
    assert MARKER in text
    log.write_text(text)
    return log


def expected_metrics(log: Path) -> Any:
    return coachflow.to_pandas(coachflow.load_jsonl(log)).sort_values("engagement").reset_index(drop=True)


def spark_metrics(session: Any, files: str) -> Any:
    frame = coachflow_spark.metrics(session.read.text(files)).toPandas()
    frame = frame.sort_values("engagement").reset_index(drop=True)
    for column in coachflow.METRICS_COLUMNS:
        if coachflow.metric_kind(column) == "date":
            frame[column] = pandas.to_datetime(frame[column])
    return frame


def assert_same(actual: Any, expected: Any) -> None:
    assert list(actual.columns) == list(coachflow.METRICS_COLUMNS)
    assert len(actual) == len(expected) == 2000
    for column in coachflow.METRICS_COLUMNS:
        left, right = actual[column], expected[column]
        if coachflow.metric_kind(column) in ("count", "number", "flag"):
            left, right = left.astype("float64"), right.astype("float64")
        pandas.testing.assert_series_equal(left, right, check_names=False, check_dtype=False)


def test_engagements_spread_over_eight_files_replay_by_seq(session: Any, generated: Path, tmp_path: Path) -> None:
    engagements = coachflow.load_jsonl(generated)
    files = [(tmp_path / f"mixed-{index}.jsonl").open("w") for index in range(8)]
    for number, engagement in enumerate(engagements):
        for position, line in enumerate(engagement.to_jsonl().splitlines()):
            files[(number + position) % 8].write(line + "\n")  # every engagement in every file
    for file in files:
        file.close()
    assert_same(spark_metrics(session, str(tmp_path / "mixed-*.jsonl")), expected_metrics(generated))


def test_the_partitioned_export_replays_by_line_order(session: Any, generated: Path, tmp_path: Path) -> None:
    subprocess.run([CLI, "export", str(generated), "--partition", "8", "--out", str(tmp_path)], check=True)
    parts = sorted(tmp_path.glob("part-*.jsonl"))
    assert len(parts) == 8
    owners: dict[str, set[str]] = {}
    for part in parts:
        for line in part.read_text().splitlines():
            owners.setdefault(json.loads(line)["engagement"], set()).add(part.name)
    assert all(len(names) == 1 for names in owners.values()), "every engagement lives in exactly one file"
    assert_same(spark_metrics(session, str(tmp_path / "part-*.jsonl")), expected_metrics(generated))


def test_problems_are_the_ones_load_jsonl_collects(session: Any, generated: Path, tmp_path: Path) -> None:
    lines = generated.read_text().splitlines()[:3000]
    bad = [
        "{not json",
        lines[10].replace('"actor":', '"actorr":'),
        lines[40].replace('"type":"', '"type":"nonsense_'),
        json.dumps({"engagement": "eng-000001", "at": "2030-01-01T00:00:00Z", "actor": "nobody",
                    "type": "orientation_completed"}),
    ]
    planted = lines[:100] + bad[:2] + lines[100:200] + bad[2:] + lines[200:]
    log = tmp_path / "planted.jsonl"
    log.write_text("\n".join(planted) + "\n")
    _, collected = coachflow.load_jsonl(log, errors="collect")
    expected = sorted(
        (problem.line, problem.engagement, finding.code) for problem in collected for finding in problem.violations
    )
    rows = coachflow_spark.problems(session.read.text(str(log))).collect()
    actual = sorted((row["line"], row["engagement"], row["code"]) for row in rows)
    assert actual == expected and len(expected) >= 4
    assert all(row["file"].endswith("planted.jsonl") for row in rows)


def test_no_confidential_text_reaches_any_output(session: Any, generated: Path) -> None:
    lines = session.read.text(str(generated))
    for frame in (coachflow_spark.metrics(lines), coachflow_spark.problems(lines)):
        text = frame.toPandas().to_csv()
        assert MARKER not in text


def test_to_arrow_types_and_values_match_to_pandas(generated: Path) -> None:
    import pyarrow

    engagements = coachflow.load_jsonl(generated)[:300]
    table = coachflow.to_arrow(engagements)
    assert table.column_names == list(coachflow.METRICS_COLUMNS)
    assert table.schema.field("entered_coaching").type == pyarrow.date32()
    assert table.schema.field("sessions_held").type == pyarrow.int64()
    assert table.schema.field("completed").type == pyarrow.bool_()
    from_arrow = table.to_pandas()
    frame = coachflow.to_pandas(engagements)
    for column in coachflow.METRICS_COLUMNS:
        if coachflow.metric_kind(column) == "date":
            from_arrow[column] = pandas.to_datetime(from_arrow[column])
    pandas.testing.assert_frame_equal(from_arrow, frame, check_dtype=False)
