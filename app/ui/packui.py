"""The notice year in the window, 文件 → 导入表单包…, and the offer to move a case to a newer pack."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from app.core.forms import FormDef
    from app.core.model import Case

PACK_FILTER = "表单包 (*.zip)"


def start_text(today: dt.date, packs: list | None = None) -> str:
    """The start page's line: which notice new cases follow, plainly when its window is over, and a file of a
    pack changed since its seal (she works on, told which file and what to do)."""
    from app.core.packs import PackError, all_packs, integrity_problems
    from app.core.sealcache import SealMemory

    try:
        packs = all_packs() if packs is None else packs
    except PackError as exc:
        return str(exc)
    pack = packs[-1]
    text = f"新建案例将按{pack.title}（{pack.year}年）填写，报送时间：{pack.notice.window_text()}。"
    if pack.notice.window_passed(today):
        text += "\n" + pack.notice.passed_note(today)
    memory = SealMemory.for_user()  # an unchanged pack is not read again at each start
    problems = [p for each in packs for p in integrity_problems(each, memory)]
    memory.save()
    if problems:
        more = f"（另有{len(problems) - 1}处类似问题，运行 yanxiu pack list 可查看全部。）" if len(problems) > 1 else ""
        text += "\n注意：" + problems[0] + more
    return text


def title_note(form: "FormDef", today: dt.date) -> str:
    """（2025年通知，报送时间已过） after the case's name in the window title."""
    from app.core.packs import pack_of

    notice = pack_of(form).notice
    passed = today > (form.submission.due or notice.submission_end)  # Attachment 3 has its own date
    return f"（{notice.year}年通知{'，报送时间已过' if passed else ''}）"


def start_packs() -> list | None:
    """The packs, read once for the start page's 新建 buttons and its line; None when they cannot be read
    (start_text then says why)."""
    from app.core.packs import PackError, all_packs

    try:
        return all_packs()
    except PackError:
        return None


def extra_new_actions(known: tuple[str, ...], packs: list | None = None) -> list[tuple[str, str]]:
    """新建 buttons for the forms a pack adds beyond the two case types (Attachment 3), read from the newest
    packs' definitions by title only, so the start page stays quick."""
    packs = start_packs() if packs is None else packs
    out: dict[str, str] = {}
    for pack in packs or ():
        for key in pack.forms:
            if key in known:
                continue
            title = _form_title(pack.forms_dir / f"{key}.toml")
            if title is not None:
                out[key] = f"新建{title or key}"
    return list(out.items())


def _form_title(path: Path) -> str | None:
    """A form definition's top-level title ("" when it has none; None when the file cannot be read), parsing only
    the lines before its first [table]: TOML's top-level keys all come before it, and a cut inside a value does
    not parse, in which case the whole file is."""
    import re
    import tomllib

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    first_table = re.search(r"^[ \t]*\[", text, re.MULTILINE)
    for part in (text[:first_table.start()], text) if first_table else (text,):
        try:
            title = tomllib.loads(part).get("title", "")
        except tomllib.TOMLDecodeError:
            continue
        return title if isinstance(title, str) else ""
    return None


def import_pack_dialog(parent: "QWidget", start_dir: Path) -> bool:
    """Ask for a pack zip, check and install it; True when one was installed."""
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from app.core.packs import PackError
    from app.core.packtool import install_pack

    path, _ = QFileDialog.getOpenFileName(parent, "导入表单包", str(start_dir), PACK_FILTER)
    if not path:
        return False
    try:
        pack = install_pack(Path(path))
    except PackError as exc:
        QMessageBox.warning(parent, "无法导入表单包", f"{exc}\n\n没有安装任何内容，已有的案例和表单包都未改动。")
        return False
    QMessageBox.information(parent, "已导入表单包",
                            f"已导入{pack.title}（表单包 {pack.id} 第{pack.version}版）。\n新建的案例将按这个表单包填写；"
                            "已有的案例仍按原来的表单包打开，打开时可以选择改用新表单包。")
    return True


def offer_newer_pack(parent: "QWidget", case: "Case") -> "Case | None":
    """When a newer pack has this form, list what changes and ask; the moved case, or None to keep it."""
    from PySide6.QtWidgets import QMessageBox

    from app.core.packmove import changed_fields, move_case
    from app.core.packs import newest_pack, pack_of

    current, newest = pack_of(case.form), newest_pack(case.case_type)
    if (newest.year, newest.version) <= (current.year, current.version):
        return None
    new_form = newest.form(case.case_type)
    changes = changed_fields(case.form, new_form) or ["各字段没有变化"]
    box = QMessageBox(QMessageBox.Icon.Question, "有新的表单包",
                      f"这个案例按{current.title}填写。已导入更新的{newest.title}，改用后以下内容会变化：\n\n"
                      + "\n".join(f"· {c}" for c in changes[:20])
                      + ("\n……" if len(changes) > 20 else "")
                      + "\n\n改用新表单包吗？保存前案例文件不会改动。", parent=parent)
    move = box.addButton("改用新表单包", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("保持原表单包", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return move_case(case, new_form) if box.clickedButton() is move else None
