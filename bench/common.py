"""The shared shape of a benchmark figure and a robust timer (best of several repeats)."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
# Qt offscreen on the school PC's 1366×768 screen, not the offscreen platform's own 800×800: there the form and the
# preview do not fit side by side and the preview steps aside, which is not the desk the figures are for.
DESK_PLATFORM = f"offscreen:configfile={ROOT / 'tests' / 'data' / 'offscreen-1366x768.json'}"
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = DESK_PLATFORM  # for this process and the scripts it starts


@dataclass
class Figure:
    name: str
    ours: float
    floor: float
    unit: str
    target: float | None  # the ratio ours / floor must not exceed this; None: reported only
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.ours / self.floor if self.floor else float("inf")

    @property
    def ok(self) -> bool:
        return self.target is None or self.ratio <= self.target

    def as_dict(self) -> dict:
        return {**asdict(self), "ratio": round(self.ratio, 3), "ok": self.ok}


def best_of(fn, *, repeat: int = 7, number: int = 1) -> float:
    """Best wall time of `number` calls, in seconds per call; the minimum is the least noisy estimate."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - t0) / number)
    return best


def print_table(figures: list[Figure]) -> None:
    print(f"{'figure':58} {'ours':>11} {'floor':>11} {'ratio':>7} {'target':>7}")
    for f in figures:
        flag = "" if f.ok else "  ✗"
        target = f"{f.target:>6.2f}×" if f.target is not None else "      —"
        print(f"{f.name:58} {f.ours:>9.3f}{f.unit:>2} {f.floor:>9.3f}{f.unit:>2} {f.ratio:>6.2f}× {target}{flag}")
