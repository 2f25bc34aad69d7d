"""Shared fixtures: the whole-engagement vectors as ready-made logs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def whole_engagement(index: int) -> list[dict[str, Any]]:
    vectors = json.loads((ROOT / "tests" / "vectors" / "whole_engagements.json").read_text())["vectors"]
    events: list[dict[str, Any]] = vectors[index]["events"]
    return events


@pytest.fixture
def completed_log() -> list[dict[str, Any]]:
    """83 events of the default programme, from opening to completion."""
    return whole_engagement(0)


@pytest.fixture
def discontinued_log() -> list[dict[str, Any]]:
    """A coach-initiated discontinuation and the sponsor explanation."""
    return whole_engagement(2)
