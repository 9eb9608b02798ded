"""app/ uses only the public API of the libraries it depends on: a private name can change in any release, and an
upgrade pyproject allows would then break every export with no test saying why."""

import ast
import sys

from tests.conftest import ROOT


def _private(name: str) -> bool:
    return any(part.startswith("_") and not (part.startswith("__") and part.endswith("__")) for part in name.split("."))


def private_imports(source: str) -> list[str]:
    """Every underscore-prefixed name that `source` imports from a third-party package (ours and the standard
    library's are fine), including importlib.import_module("x._y") with a literal name."""
    found = []

    def third_party(module: str) -> bool:
        top = module.split(".")[0]
        return top != "app" and top not in sys.stdlib_module_names

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if third_party(a.name) and _private(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and third_party(node.module):
            if _private(node.module):
                found.append(node.module)
            found += [f"{node.module}.{a.name}" for a in node.names if _private(a.name)]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            target = node.args[0].value
            if called in ("import_module", "__import__") and isinstance(target, str):
                if third_party(target) and _private(target):
                    found.append(target)
    return found


def test_the_check_finds_each_form_of_private_import():
    source = ("from docx.opc.pkgwriter import _ContentTypesItem\n"
              "import PySide6.support._feature\n"
              "from shiboken6._internal import x\n"
              "importlib.import_module('docxtpl._private')\n"
              "from docx import Document, __version__\n"   # public, and a dunder is not private
              "from app.render.diagram import _document_parts\n"  # ours
              "from os import _exit\n")  # the standard library's
    assert private_imports(source) == ["docx.opc.pkgwriter._ContentTypesItem", "PySide6.support._feature",
                                       "shiboken6._internal", "docxtpl._private"]


def test_app_imports_no_private_name_of_a_third_party_package():
    offenders = {str(p.relative_to(ROOT)): found for p in sorted((ROOT / "app").rglob("*.py"))
                 if (found := private_imports(p.read_text(encoding="utf-8")))}
    assert offenders == {}
