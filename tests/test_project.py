"""The README's commands are the ones CI runs, and the package metadata says what the brief fixes."""

import re
import tomllib

from tests.conftest import ROOT


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)\n```", readme, re.S)
    test_command = next(b for b in blocks if "pytest" in b).strip()
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert test_command in ci_lines


def test_runtime_dependencies_are_the_brief():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    everywhere = {re.split(r"[<>=!~ ;]", d)[0] for d in meta["dependencies"] if ";" not in d}
    # The brief's stack, plus the well-kept libraries issues needed: rapidfuzz for near-duplicate text (the
    # copied-passage 提醒), pypdfium2 for the preview's page images and fontTools for the standalone SC faces
    # LibreOffice draws with (app/render/pdf/scfaces.py).
    assert everywhere == {"PySide6-Essentials", "python-docx", "docxtpl", "pypdf", "platformdirs", "rapidfuzz",
                          "pypdfium2", "fonttools"}
    # The only addition is the COM bridge for Word/WPS PDF export, and only on Windows.
    assert [d for d in meta["dependencies"] if ";" in d] == ["pywin32>=306; sys_platform == 'win32'"]
    assert meta["scripts"]["yanxiu"] == "app.cli:main"
