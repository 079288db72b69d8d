#!/usr/bin/env python3
"""Turns target/reliability-figures.tsv (one line per reliability test run, io.sharemirror.Figures) into the
Markdown table RELIABILITY.md quotes: one row per test, its figures summed over the lines it published.

Counts add up. Figures that are not counts (a maximum, a bound, a duration, a size, a median, a rate per unit) keep
the largest value, min_* the smallest; seeds are left out (they are in the build log, next to each run); a figure
that is not a number is shown as its last value."""
import sys
from collections import OrderedDict

MAIN = ["runs", "faults", "writes_checked", "writes_lost"]
NOT_COUNTS = ("max", "longest", "peak", "bound", "per_", "_ms", "ms_", "_kb", "seconds", "median", "p99", "latency",
              "third")


def number(text):
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return None


def combine(name, old, new):
    if old is None:
        return new
    a, b = number(str(old)), number(str(new))
    if a is None or b is None:
        return new
    if name.startswith("min_"):
        return min(a, b)
    if name not in MAIN and any(marker in name for marker in NOT_COUNTS):
        return max(a, b)
    return a + b


def shown(value):
    if isinstance(value, float):
        return f"{value:,.1f}"
    n = number(str(value))
    return f"{n:,}" if isinstance(n, int) else str(value)


def main(path):
    tests = OrderedDict()
    lines = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if not fields or not fields[0]:
                continue
            lines += 1
            figures = tests.setdefault(fields[0], OrderedDict())
            for field in fields[1:]:
                name, _, value = field.partition("=")
                if name != "seed":
                    figures[name] = combine(name, figures.get(name), value)
    print(f"| test | {' | '.join(m.replace('_', ' ') for m in MAIN)} | other figures |")
    print("|---|" + "---:|" * len(MAIN) + "---|")
    for test, figures in tests.items():
        main_cells = [shown(figures[m]) if m in figures else "" for m in MAIN]
        other = ", ".join(f"{k.replace('_', ' ')} {shown(v)}" for k, v in figures.items() if k not in MAIN)
        print(f"| `{test}` | {' | '.join(main_cells)} | {other} |")
    losing = [t for t, f in tests.items() if (number(str(f.get("writes_lost", 0))) or 0) > 0]
    print(f"\n{len(tests)} tests, {lines} published runs; tests with writes lost: {', '.join(losing) or 'none'}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: reliability-table.py target/reliability-figures.tsv")
    main(sys.argv[1])
