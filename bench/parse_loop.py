"""The peer of `coachflow validate` in the README's performance table (issue 15): a Python
loop that only parses each line of a log with orjson and throws the object away.

    python bench/parse_loop.py LOG.jsonl

Run it under `/usr/bin/time -v` next to `coachflow validate LOG.jsonl` (bench/lean_core.py
does both, alternating).
"""

import sys

import orjson


def main(path: str) -> None:
    objects = 0
    with open(path, "rb") as log:
        for line in log:
            if line.strip():
                orjson.loads(line)
                objects += 1
    print(f"{objects} objects parsed")


if __name__ == "__main__":
    main(sys.argv[1])
