"""Operating-system errors told in Chinese (what went wrong and what to do), never as the raw English strerror."""

from __future__ import annotations

import errno
import os

_WIN_SHARING = (32, 33)  # sharing violation, lock violation: another program holds the file open


def explain(exc: BaseException) -> str:
    """A short Chinese reason for an OSError, without a full stop; other exceptions get a generic reason."""
    if not isinstance(exc, OSError):
        return "发生了意外错误"
    winerror = getattr(exc, "winerror", None)
    code = exc.errno
    if winerror in _WIN_SHARING:
        return "文件正被其他程序（如Word或WPS）打开，请先关闭它"
    if code == errno.ENOSPC or winerror in (39, 112):
        return "磁盘空间不足，请清理磁盘或换一个位置"
    if getattr(errno, "EDQUOT", None) == code:
        return "磁盘配额已用完，请清理文件或换一个位置"
    if code == errno.EROFS:
        return "该位置是只读的（如只读U盘或光盘），请换一个位置"
    if code == errno.ENAMETOOLONG or winerror in (206,):
        return "文件名或路径太长，请缩短文件名或换一个层级较浅的文件夹"
    if code == errno.EEXIST:
        return "同名的文件或文件夹已经存在"
    if code == errno.EISDIR:
        return "该位置是一个文件夹，不是文件"
    if code == errno.ENOTDIR:
        return "路径中有一部分是文件而不是文件夹"
    if code == errno.ENOENT:
        return "找不到该文件或文件夹"
    if isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM):
        return "没有写入或读取的权限（文件可能是只读的，或文件夹受保护），请换一个位置或检查权限"
    if code == errno.EIO:
        return "读写磁盘时出错（磁盘或U盘可能已损坏或被拔出）"
    if code in (errno.EINVAL,) or winerror == 123:
        return "文件名中有系统不允许的字符"
    if code == errno.EMFILE or code == errno.ENFILE:
        return "同时打开的文件太多，请关闭一些程序后重试"
    if code == errno.EBUSY:
        return "文件或设备正忙，请稍后重试"
    return f"系统错误（代码{code if code is not None else winerror}）"


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and (exc.errno == errno.ENOSPC or getattr(exc, "winerror", None) in (39, 112))


def writable_problem(path: os.PathLike | str) -> str | None:
    """Why an existing file cannot be replaced by us (read-only or held open), or None when it can be."""
    from pathlib import Path

    p = Path(path)
    try:
        if not p.exists():
            return None
        if p.is_dir():
            return "同名的文件夹已经存在，请改名或移走它"
    except OSError as exc:
        return explain(exc)
    if not os.access(p, os.W_OK) and (os.name == "nt" or os.geteuid() != 0):
        return "文件是只读的，请取消它的只读属性或换一个文件夹"
    if os.name != "nt" and not (p.stat().st_mode & 0o222):
        return "文件是只读的，请取消它的只读属性或换一个文件夹"
    try:
        with open(p, "r+b"):
            return None
    except PermissionError as exc:
        # Writable yet refused: on Windows that is a program holding it open (Word and WPS do).
        if os.name == "nt" or getattr(exc, "winerror", None) in _WIN_SHARING:
            return "文件正被Word或WPS打开，请关闭后重试"
        return explain(exc)
    except OSError as exc:
        return explain(exc)
