"""`yanxiu pack …`: check a pack fully, install it whole or not at all, copy one for next year, reseal it."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

from app import paths
from app.core import resources
from app.core.atomic import atomic_write_bytes
from app.core.defdata import DefinitionError
from app.core.digest import sha256_file
from app.core.oserrors import explain
from app.core.packs import (MANIFEST, Pack, PackError, all_packs, builtin_pack, installed_packs, integrity_problems,
                            pack_files, read_manifest)

MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # a pack is a few MB; refuse a zip bomb before it fills her disk


def _def_error(exc: DefinitionError) -> PackError:
    """A definition's complaint (file, key, problem) with what the pack's author does next."""
    return PackError(f"表单包有误：{exc}。请按提示改正该文件，然后运行 yanxiu pack seal 重新记录校验值，"
                     f"再运行 yanxiu pack check 检查。")


def check_pack(root: Path) -> Pack:
    """Everything the app will rely on, checked before the pack is accepted: manifest, files and checksums,
    every definition, every template against its definition, and each example case checked and rendered."""
    from app.core.casefile import CaseFileError, loads
    from app.core.forms import load_form
    from app.core.rules import check_case, has_errors
    from app.render.docx_render import RenderError, check_template, render_case

    root = Path(root)
    try:
        pack = read_manifest(root, builtin=root.resolve() == paths.bundle_root().resolve())
    except DefinitionError as exc:
        raise _def_error(exc) from None
    problems = integrity_problems(pack)
    if problems:
        raise PackError(problems[0])
    load_form.cache_clear()  # a folder being edited must be read afresh
    resources.clear_caches()
    # The pack's own curriculum, platform catalogue and review data serve its cases; each must load.
    own = resources.ResourceFiles.of(root / "resources")
    for load in (own.read_curriculum, own.read_platform, own.read_review):
        try:
            load()
        except DefinitionError as exc:
            raise _def_error(exc) from None
    for key in pack.forms:
        try:
            form = pack.form(key)
        except DefinitionError as exc:
            raise _def_error(exc) from None
        for d in form.documents:
            try:
                check_template(key, d.key, form, pack.templates_dir)
            except RenderError as exc:
                raise PackError(f"表单包的模板有误（templates_docx/{key}-{d.key}.docx）：{exc}"
                                "（运行 yanxiu pack build-templates 重新生成模板，再运行 yanxiu pack check 检查。）") from None
        example = pack.example(key)
        if example is None:
            raise PackError(f"表单包的 pack.toml 中 examples.{key} 缺失：每个表单需要一个示例案例，用于检查模板能否生成文档。")
        if not example.is_file():
            raise PackError(f"表单包缺少示例案例文件“{example.relative_to(root).as_posix()}”（pack.toml 的 examples.{key}）。")
        try:
            case = loads(example.read_bytes(), name=example.name, form=form)
        except CaseFileError as exc:
            raise PackError(f"表单包的示例案例无法读取：{exc}") from None
        findings = check_case(case, base_dir=example.parent)
        if has_errors(findings):
            first = next(f for f in findings if f.is_error)
            raise PackError(f"表单包的示例案例“{example.name}”未通过检查：{first.message}")
        try:
            render_case(case)
        except RenderError as exc:
            raise PackError(f"表单包的示例案例“{example.name}”无法生成文档：{exc}") from None
    return pack


def _unzip(archive: Path, dest: Path) -> Path:
    """Extract safely and return the folder holding pack.toml (the zip's root or its only top folder)."""
    try:
        with zipfile.ZipFile(archive) as z:
            total = 0
            for info in z.infolist():
                name = info.filename
                if name.startswith(("/", "\\")) or ".." in Path(name).parts or ":" in name:
                    raise PackError(f"表单包“{archive.name}”中有不安全的文件路径“{name}”，已拒绝。")
                total += info.file_size
                if total > MAX_UNPACKED_BYTES:
                    raise PackError(f"表单包“{archive.name}”解压后过大，不像是表单包，已拒绝。")
            z.extractall(dest)
    except zipfile.BadZipFile:
        raise PackError(f"“{archive.name}”不是有效的 zip 文件，可能已损坏。") from None
    if (dest / MANIFEST).is_file():
        return dest
    subs = [p for p in dest.iterdir() if p.is_dir()]
    if len(subs) == 1 and (subs[0] / MANIFEST).is_file():
        return subs[0]
    raise PackError(f"“{archive.name}”中没有表单包清单文件 pack.toml。")


def check_source(source: Path) -> Pack:
    """`pack check DIR|ZIP`."""
    source = Path(source)
    if source.is_dir():
        return check_pack(source)
    if not source.is_file():
        raise PackError(f"找不到“{source}”。")
    with tempfile.TemporaryDirectory() as tmp:
        pack = check_pack(_unzip(source, Path(tmp)))
        return Pack(pack.id, pack.version, pack.notice, pack.forms, pack.examples, pack.files, source)


def install_pack(source: Path, packs_dir: Path | None = None) -> Pack:
    """Check the pack in a staging folder inside the packs folder and rename it into place: either the whole
    pack is installed or nothing is (a failure removes the staging folder)."""
    from app.core.forms import load_form

    source = Path(source)
    base = packs_dir or paths.user_packs_dir()
    base.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=base))
    try:
        if source.is_dir():
            if not (source / MANIFEST).is_file():
                raise PackError(f"文件夹“{source}”中没有表单包清单文件 pack.toml。")
            root = staging / "pack"
            shutil.copytree(source, root)
        elif source.is_file():
            root = _unzip(source, staging / "unzipped")
        else:
            raise PackError(f"找不到“{source}”。")
        pack = check_pack(root)
        if pack.id == builtin_pack().id and pack.version <= builtin_pack().version:
            raise PackError(f"表单包“{pack.id}”第{pack.version}版已内置于本软件，无需导入。")
        target = base / f"{pack.id}-v{pack.version}"
        if target.exists():
            raise PackError(f"表单包“{pack.id}”第{pack.version}版已经导入过了（{target}）。")
        os.replace(root, target)
    except OSError as exc:
        raise PackError(f"导入表单包失败：{explain(exc)}。没有安装任何内容。") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        load_form.cache_clear()  # forms and resources were read from the staging path
        resources.clear_caches()
    return read_manifest(target)


def _toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def write_manifest(pack: Pack, root: Path, files: dict[str, str]) -> None:
    n = pack.notice
    lines = [
        "# A form pack for 研修案例填报助手: the notice's facts, its forms, templates and resources (docs/packs.md).",
        'format = "yanxiu-pack"',
        "format_version = 1",
        f"id = {_toml_str(pack.id)}",
        f"version = {pack.version}",
        f"year = {n.year}",
        f"title = {_toml_str(n.title)}",
        f"forms = [{', '.join(_toml_str(k) for k in pack.forms)}]",
        "",
        "[notice]",
        f"submission_start = {n.submission_start.isoformat()}",
        f"submission_end = {n.submission_end.isoformat()}",
        f"address = {_toml_str(n.address)}",
        "",
        "[examples]",
        *[f"{k} = {_toml_str(v)}" for k, v in pack.examples],
        "",
    ]
    atomic_write_bytes(root / MANIFEST, with_files("\n".join(lines) + "\n", files).encode("utf-8"))


FILES_COMMENT = "# sha256 of every file of the pack; `yanxiu pack seal DIR` rewrites this table after an edit."


def with_files(text: str, files: dict[str, str]) -> str:
    """The manifest TEXT with its [files] table replaced by FILES, everything else (the comments of the
    built-in pack.toml) kept as written."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == "[files]"), None)
    if start is not None:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines))
        if start and lines[start - 1] == FILES_COMMENT:
            start -= 1
        lines = lines[:start] + lines[end:]
    while lines and not lines[-1].strip():
        lines.pop()
    table = [f"{_toml_str(rel)} = {_toml_str(d)}" for rel, d in sorted(files.items())]
    return "\n".join([*lines, "", FILES_COMMENT, "[files]", *table]) + "\n"


def seal_pack(root: Path) -> Pack:
    """Record the checksum of every file of the pack in its manifest (the built-in pack's too)."""
    root = Path(root)
    builtin = root.resolve() == paths.bundle_root().resolve()
    try:
        read_manifest(root, builtin=builtin, require_files=False)  # [files] may be missing or stale: we rewrite it
        text = (root / MANIFEST).read_text(encoding="utf-8")
    except DefinitionError as exc:
        raise _def_error(exc) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(f"无法读取表单包清单“{root / MANIFEST}”：{explain(exc)}。请确认文件存在且为 UTF-8 编码。") from None
    files = {rel: sha256_file(root / rel) for rel in pack_files(root)}
    try:
        atomic_write_bytes(root / MANIFEST, with_files(text, files).encode("utf-8"))
    except OSError as exc:
        raise PackError(f"无法写入“{root / MANIFEST}”：{explain(exc)}。校验值没有改动。") from None
    return read_manifest(root, builtin=builtin)


def _shift_year(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def new_pack(from_year: int, dest: Path, year: int | None = None) -> Pack:
    """Copy the pack of FROM_YEAR into DEST for next year's notice: the year, id and window move on by the
    difference, which the 教研员 then corrects from the new notice (docs/packs.md)."""
    source = [p for p in all_packs() if p.year == from_year]
    if not source:
        raise PackError(f"没有{from_year}年的表单包。可用的有：{'、'.join(str(p.year) for p in all_packs())}。")
    src = source[-1]
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise PackError(f"文件夹“{dest}”不是空的。请指定一个新的文件夹。")
    year = year or from_year + 1
    dest.mkdir(parents=True, exist_ok=True)
    for rel in pack_files(src.root):
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src.root / rel, target)
    n = src.notice
    years = year - n.year
    notice = type(n)(year, n.title.replace(str(n.year), str(year)), _shift_year(n.submission_start, years),
                     _shift_year(n.submission_end, years), n.address)
    pack_id = src.id.replace(str(n.year), str(year)) if str(n.year) in src.id else f"{src.id}-{year}"
    draft = Pack(pack_id, 1, notice, src.forms, src.examples, (), dest)
    write_manifest(draft, dest, {})
    return seal_pack(dest)


def build_templates(root: Path) -> list[Path]:
    """Regenerate a pack's templates from its definitions, then reseal it."""
    from app.core.forms import load_form
    from app.render.template_builder import build_all

    root = Path(root)
    try:
        pack = read_manifest(root, require_files=False)
        load_form.cache_clear()
        written = build_all(root / "templates_docx", root / "forms", pack.forms)
    except DefinitionError as exc:
        raise _def_error(exc) from None
    seal_pack(root)
    return written


def describe(pack: Pack, today: dt.date) -> list[str]:
    where = "内置" if pack.builtin else f"已导入：{pack.root}"
    lines = [f"{pack.id} 第{pack.version}版  {pack.title}（{pack.year}年，{where}）",
             f"  报送时间：{pack.notice.window_text()}" + ("（已结束）" if pack.notice.window_passed(today) else ""),
             f"  报送地址：{pack.notice.address}"]
    lines += [f"  注意：{p}" for p in integrity_problems(pack)]
    for key in pack.forms:
        try:
            form = pack.form(key)
            lines.append(f"  {form.attachment}  {form.title}（{key}）")
        except (DefinitionError, PackError) as exc:
            lines.append(f"  {key}：无法读取（{exc}）")
    return lines


def main_pack(args, today: dt.date | None = None) -> int:
    """Exit 0 done, 1 the pack was refused or the request failed."""
    today = today or dt.date.today()
    try:
        if args.pack_command == "list":
            for p in all_packs():
                print("\n".join(describe(p, today)))
            broken = [d for d in sorted(paths.user_packs_dir().glob("*"))
                      if d.is_dir() and not d.name.startswith(".") and d not in {p.root for p in installed_packs()}]
            for d in broken:
                print(f"（文件夹“{d}”不是可用的表单包，已跳过）")
        elif args.pack_command == "check":
            pack = check_source(Path(args.source))
            print(f"表单包检查通过：{pack.id} 第{pack.version}版，{pack.title}，表单 {'、'.join(pack.forms)}。")
        elif args.pack_command == "install":
            pack = install_pack(Path(args.source))
            print(f"已导入表单包：{pack.id} 第{pack.version}版，{pack.title}（{pack.root}）。")
        elif args.pack_command == "new":
            pack = new_pack(args.from_year, Path(args.dir), args.year)
            print(f"已在“{pack.root}”创建{pack.year}年表单包 {pack.id}。请按新通知修改 pack.toml 和 forms/，"
                  f"然后运行 yanxiu pack build-templates 和 yanxiu pack check。")
        elif args.pack_command == "seal":
            pack = seal_pack(Path(args.dir))
            print(f"已重新记录 {len(pack.files)} 个文件的校验值。")
        elif args.pack_command == "build-templates":
            for p in build_templates(Path(args.dir)):
                print(p)
        else:
            raise AssertionError(args.pack_command)
    except PackError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0
