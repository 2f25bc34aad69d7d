"""The README's Python example runs as written, in an empty folder."""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def python_section_example() -> str:
    section = README.read_text().split("## Python\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert blocks, "the README's Python section should open with a runnable example"
    return blocks[0]  # the later ones (Spark) need a cluster session


def test_the_readme_example_runs_as_written(tmp_path: pathlib.Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", python_section_example()], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "['orientation_incomplete', 'preliminary_discussion_missing']" in result.stdout
    assert "stage_advanced" not in result.stdout
    assert (tmp_path / "engagements.jsonl").read_text().count("\n") == 1


def test_errors_are_as_the_readme_says(tmp_path: pathlib.Path) -> None:
    import coachflow

    missing = tmp_path / "absent.jsonl"
    try:
        coachflow.load_jsonl(missing)
    except FileNotFoundError as error:
        assert str(missing) in str(error)
    else:
        raise AssertionError("a missing file must raise FileNotFoundError")
    assert issubclass(coachflow.RuleViolation, ValueError) and issubclass(coachflow.LogError, ValueError)
    assert re.fullmatch(r"\d+\.\d+\.\d+", coachflow.__version__)
    line = '{"engagement":"e","at":"2026-01-05T09:00:00Z","actor":"c","type":"nope"}\n'
    problems = coachflow.load_jsonl(_write(tmp_path, line), errors="collect")[1]
    assert repr(problems[0]) == "LogProblem(line=1, engagement='e', codes=['unknown_event_type'])"


def _write(folder: pathlib.Path, text: str) -> pathlib.Path:
    path = folder / "log.jsonl"
    path.write_text(text)
    return path


def test_the_store_example_runs_as_written(tmp_path: pathlib.Path) -> None:
    section = README.read_text().split("## The event store\n", 1)[1].split("\n## ", 1)[0]
    example = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)[0]
    result = subprocess.run([sys.executable, "-c", example], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == ["{'seq': 1, 'position': 1, 'warnings': []}", "concurrent_update"]
    assert "eng-7  pre_work" in result.stdout
    assert (tmp_path / "coachflow.db").exists()
