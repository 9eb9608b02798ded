"""`python -m bench.mutation`: mutation testing of the Qt-free layers with mutmut, a developer tool (not a CI gate).

Each target mutates one layer in a scratch copy under build/mutation/<target>/ (the worktree is never touched) and
runs, for each mutant, only the fast tests of that layer that execute the mutated function. The report
(build/mutation/<target>-report.md and .json) gives the score — killed / (all − equivalent) — and the diff of every
mutant that survived, so the next test to write is one `mutmut show` away.

    python -m bench.mutation                       # every mutant of app/core, 2 workers (hours on a busy PC)
    python -m bench.mutation --sample 400          # a uniform random sample (seed 19): the score ± its 95 % interval
    python -m bench.mutation --rerun-alive         # after writing tests: copy tests/ again, rerun the mutants
                                                   # the last run did not kill (or did not reach)
    python -m bench.mutation --target render       # app/render (slower: real DOCX renders)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Target:
    source_paths: tuple[str, ...]
    tests: tuple[str, ...]  # the fast, in-process tests of that layer; a mutant runs those that reach it
    # The definition loaders run in nearly every test (under mutmut each test loads the definitions afresh, so that
    # a mutated loader runs), so mutmut would give each loader mutant the whole selection. A function of these
    # modules that more than half the selection reaches is judged by the tests of its own module instead (those of
    # them that reach it): a mutant they miss counts as surviving even if an unrelated test would have killed it,
    # so the score can only be lower than with the whole selection, never higher.
    direct_tests: dict[str, tuple[str, ...]] = field(default_factory=dict)
    pytest_args: tuple[str, ...] = ()


TARGETS = {
    "core": Target(
        ("app/core/",),
        ("tests/test_wordcount.py", "tests/test_rules.py", "tests/test_forms.py", "tests/test_curriculum.py",
         "tests/test_casefile.py", "tests/test_schema.py", "tests/test_settings.py", "tests/test_check_command.py",
         "tests/test_boundaries.py", "tests/test_core_mutants.py", "tests/test_hermetic.py", "tests/test_review.py",
         "tests/test_import.py", "tests/test_import_roundtrip.py"),
        direct_tests={
            "app.core.forms": ("tests/test_forms.py", "tests/test_boundaries.py", "tests/test_core_mutants.py"),
            "app.core.curriculum": ("tests/test_curriculum.py", "tests/test_core_mutants.py"),
            "app.core.platform": ("tests/test_forms.py", "tests/test_core_mutants.py"),
            "app.core.defdata": ("tests/test_forms.py", "tests/test_curriculum.py", "tests/test_core_mutants.py"),
            "app.core.packs": ("tests/test_forms.py", "tests/test_core_mutants.py"),
        },
        # the importer's tests that resave documents with LibreOffice are the slow end-to-end ones (the PDF suite)
        pytest_args=("-m", "not libreoffice"),
    ),
    "render": Target(
        ("app/render/",),
        ("tests/test_docx_render.py", "tests/test_hostile_text.py", "tests/test_package.py",
         "tests/test_boundaries.py", "tests/test_core_mutants.py"),
    ),
}

# Mutants that cannot change behaviour (reviewed by hand), with the reason; they leave the denominator.
EQUIVALENT: dict[str, str] = {
    "app.core.wordcount.x_count_words__mutmut_5":
        "subn's count does not depend on the replacement text (\"\" or \"XXXX\"): only the count is returned",
    "app.core.curriculum.xǁCurriculumǁtheme_prefix__mutmut_1":
        "the default school system renamed: an unknown system already falls back to 六三",
    "app.core.model.x_normalize_value__mutmut_66":
        "a missing table cell read as None instead of \"\": the next line turns None into \"\"",
    "app.core.derive.x_derived_changes__mutmut_87":
        "the previous 依据 composed even without an old subject or items: compose_basis returns \"\" for those, "
        "which is the else branch's value",
    "app.core.importer.convert.x__libreoffice__mutmut_25":
        "the private output folder renamed (\"XXoutXX\"): the same name is passed to --outdir and read back",
    "app.core.defdata.xǁReaderǁnumber__mutmut_4":
        "required=None instead of False: _get only asks `if required`, and both are false",
}

KILLED = {"killed", "timeout", "caught by type check", "segfault"}
NOT_COUNTED = {"skipped"}


def _scratch_copy(target: str, spec: Target, resume: bool) -> Path:
    work = ROOT / "build" / "mutation" / target
    if work.exists() and not resume:
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                           capture_output=True).stdout.decode().split("\0")
    for name in filter(None, files):
        src = ROOT / name
        if src.is_file():
            dst = work / name
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    # tests look for the official notice beside the checkout (tests/conftest.py SHARED = ROOT.parent / "shared");
    # mutmut runs them from <work>/mutants, so <work>/shared must point at it.
    shared = ROOT.parent / "shared"
    link = work / "shared"
    if shared.is_dir() and not link.exists():
        link.symlink_to(shared)
    # Everything but the layer under test is copied as it is (the tests read forms/, docs/, README.md ...).
    sources = {s.rstrip("/") for s in spec.source_paths}
    also_copy = sorted({p.name for p in work.iterdir() if p.name not in ("app", "mutants", "shared", ".git")}
                       | {f"app/{p.name}" for p in (work / "app").iterdir()
                          if p.name != "__pycache__" and f"app/{p.name}" not in sources})
    pyproject = (work / "pyproject.toml").read_text(encoding="utf-8")
    pyproject += ("\n[tool.mutmut]\n"
                  f"source_paths = {json.dumps(list(spec.source_paths))}\n"
                  f"also_copy = {json.dumps(also_copy)}\n"
                  f"pytest_add_cli_args_test_selection = {json.dumps([t for t in spec.tests if (work / t).is_file()])}\n"
                  f"pytest_add_cli_args = {json.dumps(['-p', 'no:cacheprovider', *spec.pytest_args])}\n")
    (work / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    return work


def _mutmut(work: Path, *args: str, capture: bool = False) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    # The scratch copy's mutants/ must be the only `app` on the path (PYTHONPATH would add the worktree's).
    env.pop("PYTHONPATH", None)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return subprocess.run([sys.executable, "-m", "mutmut", *args], cwd=work, env=env, text=True,
                          capture_output=capture)


def _module_of(key: str) -> str:
    """app.core.forms.xǁFormDefǁfield or app.core.forms.x__load -> app.core.forms (mutmut's mangled names)."""
    parts = key.split(".")
    for i in range(len(parts) - 1, -1, -1):
        if parts[i].startswith(("x_", "xǁ")):
            return ".".join(parts[:i])
    return key


def _narrow_loader_tests(work: Path, spec: Target) -> dict[str, int]:
    """Give the functions every test reaches (the loaders) the tests of their module (Target.direct_tests).

    Rewrites mutmut's map of tests by function (mutants/mutmut-stats.json) after it has collected it; returns, per
    narrowed function, how many tests it keeps."""
    path = work / "mutants" / "mutmut-stats.json"
    if not spec.direct_tests or not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    by_function: dict[str, list[str]] = data["tests_by_mangled_function_name"]
    everyone = set().union(*map(set, by_function.values())) if by_function else set()
    # A rerun adds the new tests that reach a function to its list: what was narrowed once stays narrowed.
    before = work.parent / f"{work.name}-narrowed.txt"
    earlier = set(before.read_text(encoding="utf-8").split()) if before.is_file() else set()
    narrowed: dict[str, int] = {}
    for key, tests in by_function.items():
        files = spec.direct_tests.get(_module_of(key))
        if files and (key in earlier or 2 * len(tests) > len(everyone)):
            by_function[key] = sorted(t for t in tests if t.split("::")[0] in files)
            narrowed[key] = len(by_function[key])
    path.write_text(json.dumps(data, ensure_ascii=False, indent=4), encoding="utf-8")
    before.write_text("\n".join(sorted(narrowed)) + "\n", encoding="utf-8")
    return narrowed


def _collect_stats(work: Path, jobs: int) -> None:
    """Let mutmut generate the mutants and map the tests (also those written since) without running a mutant."""
    # No mutant has this name: mutmut stops (an assertion) right after saving its map of tests by function.
    _mutmut(work, "run", "--max-children", str(jobs), "__draw_a_sample_first__", capture=True)


def _statuses(work: Path) -> dict[str, str]:
    out = _mutmut(work, "results", "--all=true", capture=True).stdout
    statuses: dict[str, str] = {}
    for line in out.splitlines():
        m = re.match(r"\s+(\S+): (.+)$", line)
        if m:
            statuses[m.group(1)] = m.group(2).strip()
    return statuses


def _wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95 % interval of a proportion estimated from a sample (Wilson score interval)."""
    if n == 0:
        return 0.0, 0.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return 100 * (centre - half), 100 * (centre + half)


def _sample_file(target: str) -> Path:
    return ROOT / "build" / "mutation" / f"{target}-sample.txt"


def report(target: str, work: Path, seconds: float | None, command: str = "") -> dict:
    statuses = _statuses(work)
    total_generated = len(statuses)
    sample_path = _sample_file(target)
    sample = sample_path.read_text(encoding="utf-8").split() if sample_path.is_file() else []
    if sample:
        statuses = {k: v for k, v in statuses.items() if k in set(sample)}
    unchecked = sorted(k for k, v in statuses.items() if v == "not checked" and k not in EQUIVALENT)
    statuses = {k: v for k, v in statuses.items() if v != "not checked"}
    counted = {k: v for k, v in statuses.items() if v not in NOT_COUNTED and k not in EQUIVALENT}
    killed = sorted(k for k, v in counted.items() if v in KILLED)
    alive = sorted(k for k, v in counted.items() if v not in KILLED)
    score = 100.0 * len(killed) / len(counted) if counted else 0.0
    by_status: dict[str, int] = {}
    for v in statuses.values():
        by_status[v] = by_status.get(v, 0) + 1
    low, high = _wilson(len(killed), len(counted)) if sample else (score, score)
    result = {"target": target, "score_percent": round(score, 1), "killed": len(killed), "counted": len(counted),
              "generated": total_generated, "sampled": len(sample) or None, "not_reached": len(unchecked),
              "lower_bound_percent": round(100.0 * len(killed) / (len(counted) + len(unchecked)), 1)
              if counted or unchecked else 0.0,
              "interval_95": [round(low, 1), round(high, 1)] if sample else None,
              "equivalent": sorted(k for k in statuses if k in EQUIVALENT), "by_status": by_status,
              "alive": {k: counted[k] for k in alive}, "seconds": seconds}
    lines = [f"# Mutation report: {target}", "",
             f"Commands: `{command or f'python -m bench.mutation --target {target}'}` (mutmut, tests: "
             f"{', '.join(TARGETS[target].tests)})", "",
             f"**Score: {score:.1f} %** — {len(killed)} of {len(counted)} non-equivalent mutants killed "
             f"({len(result['equivalent'])} equivalent excluded)"
             + (f"; a uniform random sample of {len(sample)} of the {total_generated} mutants (seed {SEED}), "
                f"95 % interval {low:.1f}–{high:.1f} %." if sample else ".")
             + (f" The run was stopped before it reached {len(unchecked)} mutants; counting them all as surviving, "
                f"the score would be {result['lower_bound_percent']:.1f} %." if unchecked else ""), "",
             "| status | mutants |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in sorted(by_status.items())]
    lines += ["", f"## Not killed ({len(alive)})", ""]
    for name in alive:
        diff = _mutmut(work, "show", name, capture=True).stdout.strip()
        lines += [f"### {name}: {counted[name]}", "", "```diff", diff, "```", ""]
    base = ROOT / "build" / "mutation" / target
    (base.parent / f"{target}-report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (base.parent / f"{target}-report.json").write_text(json.dumps(result, ensure_ascii=False, indent=2),
                                                       encoding="utf-8")
    return result


SEED = 19


def _refresh_tests(work: Path) -> None:
    """The tests written since the last run (mutmut copies <work>/tests into mutants/ when it starts)."""
    shutil.rmtree(work / "tests")
    shutil.copytree(ROOT / "tests", work / "tests", ignore=shutil.ignore_patterns("__pycache__"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mutation testing of app/core or app/render with mutmut.")
    parser.add_argument("--target", choices=sorted(TARGETS), default="core")
    parser.add_argument("--jobs", type=int, default=2, help="parallel mutant runs (default 2)")
    parser.add_argument("--resume", action="store_true", help="keep the scratch copy and the results so far")
    parser.add_argument("--report-only", action="store_true", help="rewrite the report from the last run")
    parser.add_argument("--sample", type=int, metavar="N", help="test N mutants drawn at random (seed 19)")
    parser.add_argument("--rerun-alive", action="store_true",
                        help="copy tests/ again and rerun what the last run did not kill (or did not reach)")
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        help="with --rerun-alive: rerun only these of them (mutmut names), e.g. after a test for them")
    args = parser.parse_args(argv)
    work = ROOT / "build" / "mutation" / args.target
    seconds = None
    if not args.report_only:
        names: list[str] = []
        if args.rerun_alive:
            # Everything of the last run (its sample, if it drew one) that is not killed: survivors, mutants without
            # tests and those an interrupted run did not reach.
            statuses = _statuses(work)
            sample = _sample_file(args.target)
            pool = sample.read_text(encoding="utf-8").split() if sample.is_file() else sorted(statuses)
            names = [n for n in pool if statuses.get(n) not in KILLED and n not in EQUIVALENT
                     and (not args.only or n in args.only)]
            if not names:  # mutmut would take an empty list for "every mutant"
                print("nothing to rerun", file=sys.stderr)
                return 1
            _refresh_tests(work)
            _collect_stats(work, args.jobs)
        else:
            work = _scratch_copy(args.target, TARGETS[args.target], args.resume)
            _sample_file(args.target).unlink(missing_ok=True)
            _collect_stats(work, args.jobs)
            if args.sample:
                every = sorted(_statuses(work))
                names = sorted(random.Random(SEED).sample(every, min(args.sample, len(every))))
                _sample_file(args.target).write_text("\n".join(names) + "\n", encoding="utf-8")
        narrowed = _narrow_loader_tests(work, TARGETS[args.target])
        if narrowed:
            print(f"{len(narrowed)} loader functions reached by most tests run only their module's tests "
                  f"({min(narrowed.values())}–{max(narrowed.values())} tests each)")
        t0 = time.monotonic()
        run = _mutmut(work, "run", "--max-children", str(args.jobs), *names)
        seconds = round(time.monotonic() - t0)
        if run.returncode:
            print(f"mutmut run exited {run.returncode}", file=sys.stderr)
    command_file = ROOT / "build" / "mutation" / f"{args.target}-commands.txt"
    if not args.report_only:  # the commands that produced the results, in order (a rerun adds to a run)
        with open(command_file, "w" if not (args.rerun_alive or args.resume) else "a", encoding="utf-8") as fh:
            fh.write("python -m bench.mutation " + " ".join(sys.argv[1:] if argv is None else argv) + "\n")
    commands = command_file.read_text(encoding="utf-8").strip().replace("\n", "`, then `") if command_file.is_file() else ""
    result = report(args.target, work, seconds, commands)
    print(f"{args.target}: {result['score_percent']} % ({result['killed']} of {result['counted']} killed"
          + (f", sample of {result['sampled']} of {result['generated']}, 95 % interval {result['interval_95']}"
             if result["sampled"] else "") + "); "
          f"report in build/mutation/{args.target}-report.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
