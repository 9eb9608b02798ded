"""Core speed: the 字数 counter on 2 000 characters and loading both form definitions, each against a floor."""

from __future__ import annotations

import tomllib

from bench.common import ROOT, Figure, best_of, print_table


def run() -> list[Figure]:
    from app.core import forms
    from app.core.curriculum import load_curriculum
    from app.core.platform import load_platform
    from app.core.wordcount import count_words

    text = ("研修AI课堂诊断，2022年版课标“图形的位置与运动”。" * 100)[:2000]
    ours = best_of(lambda: count_words(text), repeat=20, number=50)
    # Floor: the least any counter must do, one pass over the characters asking whether each is a space.
    floor = best_of(lambda: sum(1 for ch in text if not ch.isspace()), repeat=20, number=50)
    figures = [Figure("字数 of 2 000 characters (ms)", ours * 1e3, floor * 1e3, "ms", 3.0,
                      note=f"absolute target < 1 ms: {'met' if ours < 1e-3 else 'MISSED'}")]

    files = [ROOT / "forms" / "school.toml", ROOT / "forms" / "studio.toml",
             ROOT / "resources" / "curriculum.toml", ROOT / "resources" / "platform.toml"]

    def load_defs():
        for fn in (forms.load_form, load_curriculum, load_platform):
            fn.cache_clear()
        forms.load_all()

    def parse_only():
        for f in files:
            with open(f, "rb") as fh:
                tomllib.load(fh)

    figures.append(Figure("load both form definitions, validated (ms)", best_of(load_defs) * 1e3,
                          best_of(parse_only) * 1e3, "ms", 3.0, note="floor: tomllib parse of the same files"))
    return figures


if __name__ == "__main__":
    print_table(run())
