"""`yanxiu check` prints findings grouped by document and exits 0 / 1 / 2 as scripts expect."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import SCHOOL_EXAMPLE, STUDIO_EXAMPLE, run_cli


def test_examples_pass():
    result = run_cli("check", str(SCHOOL_EXAMPLE), str(STUDIO_EXAMPLE))
    out = result.stdout.decode()
    assert result.returncode == 0, out
    assert out.count("结果：0个错误，0个提醒。可以报送。") == 2


def test_errors_exit_one_and_are_grouped(tmp_path):
    doc = json.loads(SCHOOL_EXAMPLE.read_text(encoding="utf-8"))
    doc["fields"]["summary"] = "研" * 301
    doc["fields"]["evaluation"]["effect_weight"] = 20
    doc["materials"] = [dict(m, path=str(SCHOOL_EXAMPLE.parent / m["path"])) for m in doc["materials"]]
    doc["fields"]["report_process"] = ""
    bad = tmp_path / "案例.json"
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = run_cli("check", str(bad))
    out = result.stdout.decode()
    assert result.returncode == 1
    info, plan, report = out.index("【案例信息表】"), out.index("【实施方案】"), out.index("【总结报告】")
    assert info < out.index("“案例概述”共301字") < plan < out.index("之和为90%") < report < out.index("请填写“过程与举措”")
    assert "3个错误" in out


def test_unreadable_file_exits_two(tmp_path):
    bad = tmp_path / "坏.json"
    bad.write_text("{", encoding="utf-8")
    result = run_cli("check", str(bad), str(SCHOOL_EXAMPLE))
    assert result.returncode == 2
    assert "已损坏或不完整" in result.stderr.decode()
    assert "可以报送" in result.stdout.decode()  # the readable file is still checked


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="only X11/Wayland have a missing display")
def test_the_gui_without_a_display_says_what_to_do():
    from tests.conftest import ROOT

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "app"], env=env, cwd=ROOT, capture_output=True, timeout=60)
    assert result.returncode == 2
    assert "没有找到图形界面" in result.stderr.decode("utf-8")
