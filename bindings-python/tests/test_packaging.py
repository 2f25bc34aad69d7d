"""The release wheel installs into a fresh virtual environment and works there."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

WHEELS = Path(__file__).resolve().parents[2] / "target" / "wheels"


def the_wheel() -> Path:
    if os.environ.get("COACHFLOW_WHEEL"):
        return Path(os.environ["COACHFLOW_WHEEL"])
    wheels = sorted(WHEELS.glob("coachflow-*.whl"), key=lambda path: path.stat().st_mtime)
    assert wheels, f"no wheel in {WHEELS}: run `maturin build --release` in bindings-python (scripts/test-python does)"
    return wheels[-1]


def test_the_wheel_installs_and_imports_in_a_fresh_venv(tmp_path: Path) -> None:
    venv.create(tmp_path / "venv", with_pip=True)
    python = tmp_path / "venv" / ("Scripts" if sys.platform == "win32" else "bin") / "python"
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", the_wheel()], check=True)
    probe = (
        "import coachflow, pathlib; e = coachflow.Engagement('x');"
        "print(e.stage, e.check('{').codes[0], pathlib.Path(coachflow.__file__).parent.joinpath('py.typed').exists())"
    )
    result = subprocess.run([python, "-c", probe], check=True, capture_output=True, text=True, cwd=tmp_path)
    assert result.stdout.split() == ["pre_work", "invalid_event", "True"]
