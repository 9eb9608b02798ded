"""The `yanxiu` command: the desktop app by default, plus count / check / export / package for scripts and CI."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app import APP_TITLE, __version__


COMMANDS = ("count", "check", "export", "package", "preview", "import", "pack")
DESCRIPTION = f"{APP_TITLE}：校本研修案例与名师名校长线上工作室研修案例的填写、检查与导出。"


def _gui_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="yanxiu", description=DESCRIPTION,
                                epilog=f"命令行工具：yanxiu {{{','.join(COMMANDS)}}} --help")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    p.add_argument("--demo", action="store_true", help="打开示例案例")
    p.add_argument("--smoke", action="store_true", help="离屏打开主窗口和两个向导的每一页后退出（用于自动测试）")
    p.add_argument("--screenshots", metavar="DIR", help="把每一页的截图保存到 DIR 后退出")
    p.add_argument("case", nargs="?", help="要打开的案例文件（.json）")
    return p


def _command_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="yanxiu", description=DESCRIPTION)
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("count", help="按Word字数统计口径统计字数")
    c.add_argument("file", nargs="?", help="UTF-8 文本文件；省略时读标准输入")

    k = sub.add_parser("check", help="按征集通知检查案例，列出错误和提醒")
    k.add_argument("cases", nargs="+", metavar="CASE.json")

    e = sub.add_parser("export", help="导出案例信息表、实施方案、总结报告（Word）")
    e.add_argument("case", metavar="CASE.json")
    e.add_argument("--out", required=True, metavar="DIR", help="输出文件夹")
    e.add_argument("--pdf", action="store_true", help="同时转换为PDF")
    e.add_argument("--force", action="store_true",
                   help="导出后被修改过的文件也替换（修改过的文件另存为“…（修改前）”）")

    k2 = sub.add_parser("package", help="生成报送文件夹（Word、PDF、打印包、支撑材料、报送清单）")
    k2.add_argument("case", metavar="CASE.json")
    k2.add_argument("--out", required=True, metavar="DIR")
    k2.add_argument("--force", action="store_true",
                    help="即使检查有错误也生成；导出后被修改过的文件也替换（另存为“…（修改前）”）")
    k2.add_argument("--packet-info-only", action="store_true", help="打印包只含案例信息表（默认还含实施方案和总结报告）")

    v = sub.add_parser("preview", help="把三个文档的每一页保存为PNG图片（与程序内预览同一渲染方式）")
    v.add_argument("case", metavar="CASE.json")
    v.add_argument("--out", required=True, metavar="DIR", help="输出文件夹")
    v.add_argument("--dpi", type=float, default=96, metavar="N", help="分辨率（默认96）")
    im = sub.add_parser("import", help="导入Word文档（征集通知的表格、本软件导出的文档或总结报告），生成新的案例文件")
    im.add_argument("files", nargs="+", metavar="FILE.docx", help="案例信息表、实施方案、总结报告（.docx；装有Word、WPS或LibreOffice时也可为.doc/.wps）")
    im.add_argument("--out", required=True, metavar="CASE.json", help="要创建的案例文件")
    im.add_argument("--force", action="store_true", help="覆盖已存在的案例文件（原文件保留为 .bak）")
    im.add_argument("--type", choices=("school", "studio"), help="无法从文档判断案例类型时指明：school 校本研修，studio 工作室")
    pk = sub.add_parser("pack", help="表单包：列出、检查、导入，或以某年的表单包为底稿制作新一年的")
    psub = pk.add_subparsers(dest="pack_command", required=True)
    psub.add_parser("list", help="列出内置和已导入的表单包")
    pc = psub.add_parser("check", help="全面检查一个表单包（文件夹或 zip）")
    pc.add_argument("source", metavar="DIR|ZIP")
    pi = psub.add_parser("install", help="检查并导入表单包（zip 或文件夹）")
    pi.add_argument("source", metavar="PACK.zip")
    pn = psub.add_parser("new", help="复制某年的表单包到新文件夹，供按新通知修改")
    pn.add_argument("--from", dest="from_year", type=int, required=True, metavar="YEAR")
    pn.add_argument("--year", type=int, help="新表单包的年份（默认下一年）")
    pn.add_argument("dir", metavar="DIR")
    ps = psub.add_parser("seal", help="修改表单包后重新记录每个文件的校验值")
    ps.add_argument("dir", metavar="DIR")
    pb = psub.add_parser("build-templates", help="按表单定义重新生成表单包的文档模板")
    pb.add_argument("dir", metavar="DIR")
    return p


EXIT_UNEXPECTED = 70  # an error the program did not expect (sysexits EX_SOFTWARE); 1-4 keep their meanings


def main(argv: list[str] | None = None) -> int:
    """Every command; an unexpected error is logged and reported in Chinese with its own exit code."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in COMMANDS:
        return _run(argv)
    try:
        return _run(argv)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence: a message and a log, never a traceback
        return _unexpected(exc)


def _unexpected(exc: BaseException) -> int:
    import logging
    import traceback

    from app import paths
    from app.ui.crashguard import setup_logging  # Qt-free: logging only

    log_path = setup_logging(paths.user_log_dir())
    logging.getLogger("yanxiu").error("unexpected error in %s:\n%s", " ".join(sys.argv[1:2]),
                                      "".join(traceback.format_exception(exc)))
    where = f"详细信息已记录在“{log_path}”，需要时请把该文件发给技术支持。" if log_path else ""
    print(f"程序遇到了意外错误（{type(exc).__name__}），操作没有完成，案例文件和之前导出的文件没有被改动。{where}",
          file=sys.stderr)
    return EXIT_UNEXPECTED


def _run(argv: list[str]) -> int:
    for stream in (sys.stdout, sys.stderr):
        # A Chinese message must never crash on a console that cannot show it.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    if not argv or argv[0] not in COMMANDS:
        from app.ui.launch import main_gui

        return main_gui(_gui_parser().parse_args(argv))
    args = _command_parser().parse_args(argv)
    if args.command == "count":
        from app.core.wordcount import main_count

        return main_count(args.file)
    if args.command == "check":
        from app.core.checkcmd import main_check

        return main_check([Path(p) for p in args.cases])
    if args.command == "export":
        from app.render.exportcmd import main_export

        return main_export(Path(args.case), Path(args.out), pdf=args.pdf, force=args.force)
    if args.command == "package":
        from app.render.exportcmd import main_package

        return main_package(Path(args.case), Path(args.out), force=args.force, packet_all=not args.packet_info_only)
    if args.command == "preview":
        from app.render.preview import main_preview

        return main_preview(Path(args.case), Path(args.out), dpi=args.dpi)
    if args.command == "import":
        from app.core.importer.cmd import main_import

        return main_import([Path(p) for p in args.files], Path(args.out), force=args.force, case_type=args.type)
    if args.command == "pack":
        from app.core.packtool import main_pack

        return main_pack(args)
    raise AssertionError(args.command)


if __name__ == "__main__":
    sys.exit(main())
