"""`python -m bench.listed_mutants`: the deliberate bugs of issue 19, each put into a scratch copy of the project in
turn, with the tests that must go red against it. Prints one line per mutant; exit 1 if any survives.

mutmut (python -m bench.mutation) covers app/core and app/render mechanically; these are the hand-written mutants of
the README's promises, including the Qt and PDF parts mutmut does not reach.

    python -m bench.listed_mutants            # all of them (~5 minutes; the PDF ones need LibreOffice)
    python -m bench.listed_mutants phone bom  # those whose name contains one of the words
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Mutant:
    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


B, E, U, X, P = ("tests/test_boundaries.py", "tests/test_exit_codes.py", "tests/test_ui_promises.py",
                 "tests/test_export_promises.py", "tests/test_package.py")
MUTANTS = (
    Mutant("line-field-max-length", "app/ui/editors_text.py", "        self.edit.setPlaceholderText(field.hint)\n",
           "        self.edit.setMaxLength(field.limit or 32767)\n        self.edit.setPlaceholderText(field.hint)\n",
           (f"{U}::test_a_single_line_field_never_truncates_and_turns_red_only_above_the_limit",
            f"{U}::test_every_line_field_holds_more_than_its_limit")),
    Mutant("counter-red-at-limit", "app/ui/counter.py", "    if n > limit:\n", "    if n >= limit:\n",
           (f"{B}::test_counter_turns_amber_at_90_percent_and_red_only_above_the_limit",
            f"{U}::test_a_single_line_field_never_truncates_and_turns_red_only_above_the_limit")),
    Mutant("counter-red-one-late", "app/ui/counter.py", "    if n > limit:\n", "    if n > limit + 1:\n",
           (f"{B}::test_counter_turns_amber_at_90_percent_and_red_only_above_the_limit",
            f"{U}::test_a_single_line_field_never_truncates_and_turns_red_only_above_the_limit")),
    Mutant("word-limit-off-by-one", "app/core/rules.py", "        if n > f.limit:\n", "        if n > f.limit + 1:\n",
           (f"{B}::test_every_word_limit_at_limit_and_limit_plus_one",)),
    Mutant("phone-without-end-anchor", "app/core/rules.py", r'[0-9]{9}\Z")', r'[0-9]{9}")',
           (f"{B}::test_mobile_number_rule",)),
    Mutant("phone-unicode-digits", "app/core/rules.py", r'[0-9]{9}\Z")', r'\d{9}\Z")',
           (f"{B}::test_mobile_number_rule",)),
    Mutant("autosave-debounce-4.5s", "app/ui/autosave.py", "DEBOUNCE_MS = 1500", "DEBOUNCE_MS = 4500",
           (f"{U}::test_autosave_waits_for_a_pause_then_writes_within_two_seconds",)),
    Mutant("autosave-no-60s-timer", "app/ui/autosave.py", "        self._periodic.start()\n", "",
           (f"{U}::test_autosave_also_runs_every_60_seconds_while_typing_without_pause",)),
    Mutant("fangsong-substitution-ignored", "app/render/pdf/export.py", "            if mapping:\n",
           "            if False:\n", (f"{X}::test_a_missing_fangsong_gb2312_is_printed_with_fangsong",)),
    Mutant("font-notes-not-printed", "app/render/pdf/export.py",
           "        print(note.message, file=sys.stderr)\n", "        pass\n",
           (f"{E}::test_export_pdf_exits_0_and_names_every_font_substitution",)),
    Mutant("font-notes-not-in-package", "app/render/package.py",
           "notes += [n.message for n in pdf.font_notes] + pdf.warnings", "notes += pdf.warnings",
           (f"{E}::test_package_exits_0_with_pdfs_and_names_font_substitutions",)),
    Mutant("export-exit-2-as-1", "app/render/exportcmd.py", "        return 2\n", "        return 1\n",
           (f"{E}::test_export_exits_2_when_the_case_cannot_be_read",)),
    Mutant("export-exit-3-as-1", "app/render/pdf/export.py", "        return 3\n", "        return 1\n",
           (f"{E}::test_export_pdf_exits_3_when_conversion_fails_and_keeps_the_word_files",)),
    Mutant("package-exit-3-as-1", "app/render/package.py", "        return 3\n", "        return 1\n",
           (f"{E}::test_package_exits_3_when_conversion_fails",)),
    Mutant("listing-without-bom", "app/render/package.py", 'path.write_text("\\ufeff" + ', "path.write_text(",
           (f"{E}::test_package_exits_1_refused_2_unreadable_4_without_pdf",)),
    Mutant("export-plain-write-bytes", "app/render/docx_render.py", "            atomic_write_bytes(target, r.data)\n",
           "            target.write_bytes(r.data)\n",
           (f"{X}::test_a_disk_failure_while_writing_leaves_the_earlier_export_as_it_was",)),
    Mutant("report-total-disconnected", "app/ui/pages.py",
           "            session.changed.connect(lambda _k: self._total_timer.start())\n", "",
           (f"{U}::test_the_report_total_follows_typing_by_itself",)),
    Mutant("report-total-body-only", "app/core/rules.py",
           "    n = sum(count_words(b.text) for b in report_blocks(case))\n    if n > doc.limit:",
           "    n = sum(count_words(b.text) for b in report_blocks(case) if b.level == 3)\n    if n > doc.limit:",
           (f"{B}::test_report_total_at_2000_and_2001_as_printed",)),
    Mutant("report-total-at-limit", "app/core/rules.py", "    if n > doc.limit:\n        return [Finding(",
           "    if n >= doc.limit:\n        return [Finding(", (f"{B}::test_report_total_at_2000_and_2001_as_printed",)),
    Mutant("count-ellipsis-not-full-width", "app/core/wordcount.py", r"\u201c\u201d\u2026", r"\u201c\u201d",
           ("tests/test_wordcount.py::test_the_fast_count_equals_a_character_by_character_count",)),
    Mutant("check-unreadable-as-1", "app/core/checkcmd.py", "            worst = 2\n", "            worst = max(worst, 1)\n",
           (f"{E}::test_check_exits_0_1_and_2",)),
    Mutant("count-missing-file-as-1", "app/core/wordcount.py", "            return 2\n", "            return 1\n",
           (f"{E}::test_count_exits_0_and_2",)),
)


def _copy(dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                           capture_output=True).stdout.decode().split("\0")
    for name in filter(None, files):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    shared = ROOT.parent / "shared"  # tests/conftest.py looks for the notice beside the checkout
    if shared.is_dir() and not (dest.parent / "shared").exists():
        (dest.parent / "shared").symlink_to(shared)


def run(mutants, work: Path) -> list[tuple[Mutant, str, float]]:
    env = dict(os.environ, PYTHONPATH=str(work), PYTHONDONTWRITEBYTECODE="1")
    results = []
    for m in mutants:
        target = work / m.path
        original = target.read_text(encoding="utf-8")
        if m.old not in original:
            results.append((m, "NOT APPLIED (the code changed: update the mutant)", 0.0))
            continue
        target.write_text(original.replace(m.old, m.new, 1), encoding="utf-8")
        t0 = time.monotonic()
        try:
            proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *m.tests],
                                  cwd=work, env=env, capture_output=True, text=True, timeout=900)
            status = "killed" if proc.returncode == 1 else ("SURVIVED" if proc.returncode == 0
                                                            else f"error (pytest exit {proc.returncode})")
        finally:
            target.write_text(original, encoding="utf-8")
        results.append((m, status, time.monotonic() - t0))
        print(f"{status:10} {m.name:32} {time.monotonic() - t0:5.1f} s  {' '.join(t.split('::')[-1] for t in m.tests)}",
              flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    chosen = [m for m in MUTANTS if not words or any(w in m.name for w in words)]
    work = ROOT / "build" / "listed-mutants" / "project"
    _copy(work)
    # Against the unmutated copy every test must pass, or a red test would prove nothing.
    tests = sorted({t for m in chosen for t in m.tests})
    clean = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests], cwd=work,
                           env=dict(os.environ, PYTHONPATH=str(work)), capture_output=True, text=True)
    if clean.returncode != 0:
        print(clean.stdout[-3000:])
        print("the tests fail without any mutant; fix them first")
        return 2
    results = run(chosen, work)
    alive = [m.name for m, status, _ in results if status != "killed"]
    print(f"{len(results) - len(alive)} of {len(results)} listed mutants killed" + (f"; not killed: {', '.join(alive)}"
                                                                                     if alive else ""))
    return 1 if alive else 0


if __name__ == "__main__":
    sys.exit(main())
