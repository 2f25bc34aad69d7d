"""Issue 15's whole-process figures, measured side by side in one run.

Alternates, round after round, `coachflow validate LOG` and its peer (bench/parse_loop.py: a
Python loop that only parses each line with orjson), and, when the Python package is
installed, `coachflow.load_jsonl(LOG)` in a fresh interpreter. Each process runs under
`/usr/bin/time -v`; the medians of wall time and peak RSS are printed with their ratios to
the peer and to the file size, and the median and range of each round's ratio to the peer
run beside it (which drifts less on a machine whose speed changes between rounds).

    python bench/lean_core.py [--engagements 10000] [--rounds 5] [--cli target/release/coachflow]
    python bench/lean_core.py --growth   # also a log ten times larger: is validate's cost linear?

Needs orjson (`pip install orjson`); the log is generated with `coachflow generate`.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PEER = "orjson parse-only loop (the peer)"


def measure(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS in MB of one process, from GNU time."""
    done = subprocess.run(
        ["/usr/bin/time", "-v", *command], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr}")
    wall = rss = 0.0
    for line in done.stderr.splitlines():
        line = line.strip()
        if line.startswith("Elapsed (wall clock) time"):
            clock = line.rsplit(" ", 1)[1].split(":")
            wall = sum(float(part) * 60**power for power, part in enumerate(reversed(clock)))
        elif line.startswith("Maximum resident set size"):
            rss = int(line.rsplit(" ", 1)[1]) / 1024
    return wall, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engagements", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cli", default=str(ROOT / "target/release/coachflow"))
    parser.add_argument("--log", help="an existing log instead of a generated one")
    parser.add_argument(
        "--growth",
        action="store_true",
        help="also validate a log of ten times the engagements and compare (issue 15, item 5)",
    )
    parser.add_argument("--growth-log", help="an existing ten-times log instead of a generated one")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        log = Path(args.log) if args.log else Path(folder) / "log.jsonl"
        if not args.log:
            with log.open("wb") as out:
                subprocess.run(
                    [args.cli, "generate", "--engagements", str(args.engagements), "--seed", "7"],
                    stdout=out,
                    check=True,
                )
        size_mb = log.stat().st_size / 1e6
        events = sum(1 for _ in log.open("rb"))
        commands = {
            PEER: [sys.executable, str(ROOT / "bench/parse_loop.py"), str(log)],
            "coachflow validate": [args.cli, "validate", str(log)],
        }
        try:
            import coachflow  # noqa: F401

            commands["Python coachflow.load_jsonl"] = [
                sys.executable,
                "-c",
                "import sys, coachflow; e = coachflow.load_jsonl(sys.argv[1]); print(len(e))",
                str(log),
            ]
        except ImportError:
            print("(the Python package is not installed: load_jsonl is not measured)")
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, command in commands.items():
                samples[name].append(measure(command))
        growth: list[tuple[float, float]] = []
        if args.growth or args.growth_log:
            big = Path(args.growth_log) if args.growth_log else Path(folder) / "log-10x.jsonl"
            if not args.growth_log:
                with big.open("wb") as out:
                    command = [args.cli, "generate", "--engagements", str(args.engagements * 10), "--seed", "7"]
                    subprocess.run(command, stdout=out, check=True)
            big_mb = big.stat().st_size / 1e6
            for _ in range(max(1, args.rounds // 2)):
                # Alternate with the small log, so both see the same machine conditions.
                growth.append(measure([args.cli, "validate", str(big)]))
                samples["coachflow validate"].append(measure(commands["coachflow validate"]))

    print(f"log: {events:,} events, {size_mb:.0f} MB, {args.rounds} alternating rounds (medians)")
    peer_runs = samples[PEER]
    peer_wall = statistics.median(wall for wall, _ in peer_runs)
    for name, runs in samples.items():
        wall = statistics.median(w for w, _ in runs)
        rss = statistics.median(r for _, r in runs)
        paired = ""
        if name != PEER:
            # Each round's ratio to the peer run next to it: on a machine whose speed drifts
            # between rounds, these move less than the medians' ratio.
            ratios = sorted(w / p for (w, _), (p, _) in zip(runs[: args.rounds], peer_runs))
            paired = f"; by round {statistics.median(ratios):4.2f}x, {ratios[0]:.2f}-{ratios[-1]:.2f}"
        print(
            f"{name:36} {wall:6.2f} s ({wall / peer_wall:4.2f}x the peer{paired})  "
            f"peak RSS {rss:6.0f} MB ({rss / size_mb:4.2f}x the file)"
        )
    if growth:
        small_wall = statistics.median(wall for wall, _ in samples["coachflow validate"])
        wall = statistics.median(w for w, _ in growth)
        rss = statistics.median(r for _, r in growth)
        print(
            f"{'coachflow validate, 10x the log':36} {wall:6.2f} s ({wall / small_wall:4.1f}x the 1x log; target 11x)  "
            f"peak RSS {rss:6.0f} MB ({rss / big_mb:4.2f}x its {big_mb:.0f} MB)"
        )


if __name__ == "__main__":
    main()
