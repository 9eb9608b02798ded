"""Preferences never stop the app: a damaged or foreign settings file means defaults; recent cases stay ordered."""

import json

import pytest

from app.core.settings import MAX_RECENT, Settings, load_settings, save_settings


@pytest.mark.parametrize("content", ["", "{", "[1, 2]", '{"pdf_backend": "typewriter", "recent_cases": "x"}',
                                     '{"fangsong_for_gb2312": "yes", "soffice_path": 3}'])
def test_damaged_settings_fall_back_to_defaults(tmp_path, content):
    path = tmp_path / "settings.json"
    path.write_text(content, encoding="utf-8")
    s = load_settings(path)
    assert s.pdf_backend == "auto" and s.fangsong_for_gb2312 is True and s.soffice_path == ""
    assert isinstance(s.recent_cases, list)


def test_settings_round_trip_and_recent_order(tmp_path):
    path = tmp_path / "s.json"
    s = Settings(pdf_backend="libreoffice", soffice_path="D:/LibreOffice/program/soffice.exe")
    for i in range(MAX_RECENT + 3):
        s.add_recent(tmp_path / f"案例{i}.json")
    s.add_recent(tmp_path / "案例5.json")
    save_settings(s, path)
    again = load_settings(path)
    assert again.pdf_backend == "libreoffice" and again.soffice_path.endswith("soffice.exe")
    assert len(again.recent_cases) == MAX_RECENT and again.recent_cases[0].endswith("案例5.json")
    assert again.recent_cases.count(str(tmp_path / "案例5.json")) == 1
    assert json.loads(path.read_text(encoding="utf-8"))["pdf_backend"] == "libreoffice"
