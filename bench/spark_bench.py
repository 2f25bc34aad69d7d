"""Spark `local[2]` against one Python process on the generated log, and how Spark's time grows.

    target/spark-venv/bin/python bench/spark_bench.py [ENGAGEMENTS ...]   # default 10000 40000

Needs the Spark venv of scripts/test-spark and target/release/coachflow. For each size it
generates the log (about 100 events per engagement), times `load_jsonl` + `to_pandas` in
this process and `coachflow.spark.metrics` in local[2] (whole `count()` of the result), and
prints events, seconds, events/s, the ratio and Spark's per-event overhead.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import coachflow
from coachflow import spark as coachflow_spark

ROOT = Path(__file__).resolve().parents[1]
CLI = os.environ.get("COACHFLOW_CLI", str(ROOT / "target" / "release" / "coachflow"))


def main() -> None:
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    sizes = [int(size) for size in sys.argv[1:]] or [10_000, 40_000]
    builder = SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
    builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    folder = Path(tempfile.mkdtemp(prefix="coachflow-spark-bench-"))
    print(f"{'engagements':>11} {'events':>10} {'one process':>12} {'spark local[2]':>15} {'spark/one':>9} {'spark us/event':>15}")
    for engagements in sizes:
        log = folder / f"log-{engagements}.jsonl"
        subprocess.run([CLI, "generate", "--engagements", str(engagements), "--seed", "5", "--out", str(log)],
                       check=True, stderr=subprocess.DEVNULL)
        events = sum(1 for _ in log.open())
        started = time.perf_counter()
        frame = coachflow.to_pandas(coachflow.load_jsonl(log))
        one = time.perf_counter() - started
        started = time.perf_counter()
        rows = coachflow_spark.metrics(spark.read.text(str(log))).count()
        spark_seconds = time.perf_counter() - started
        assert rows == len(frame) == engagements
        print(f"{engagements:>11,} {events:>10,} {one:>11.1f}s {spark_seconds:>14.1f}s {spark_seconds / one:>8.1f}x "
              f"{spark_seconds / events * 1e6:>14.1f}")
    spark.stop()


if __name__ == "__main__":
    main()
