"""LibreOffice as a PDF converter: an app-private profile, one process for a whole batch, a hard timeout that kills
the process tree, and a listener kept warm between exports (TECH-NOTES §4.1)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from app import paths
from app.render.pdf.base import ConversionError, Progress, check_pdf

DEFAULT_TIMEOUT = 120.0
_WINDOWS_DIRS = (r"C:\Program Files\LibreOffice\program", r"C:\Program Files (x86)\LibreOffice\program")
_POSIX_DIRS = ("/usr/bin", "/usr/local/bin", "/opt/libreoffice/program", "/usr/lib/libreoffice/program",
               "/snap/bin", "/Applications/LibreOffice.app/Contents/MacOS")


def find_soffice(configured: str | os.PathLike | None = None) -> Path | None:
    """A path from settings first, then PATH, then the usual install folders."""
    if configured:
        p = Path(configured)
        return p if p.is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    folders = _WINDOWS_DIRS if os.name == "nt" else _POSIX_DIRS
    exe = "soffice.exe" if os.name == "nt" else "soffice"
    for folder in folders:
        candidate = Path(folder) / exe
        if candidate.is_file():
            return candidate
    return None


def _popen_kwargs() -> dict:
    if os.name == "nt":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP | getattr(subprocess, "CREATE_NO_WINDOW", 0)}
    return {"start_new_session": True}  # its own process group: a timeout kills soffice.bin too


def kill_tree(proc: subprocess.Popen) -> None:
    """Kill a process and everything it started; soffice is a wrapper around soffice.bin."""
    if proc.poll() is not None:
        return
    try:
        if os.name == "nt":
            subprocess.run(["taskkill", "/T", "/F", "/PID", str(proc.pid)], capture_output=True, timeout=30)
        else:
            os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, OSError, subprocess.SubprocessError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


class LibreOfficeConverter:
    name = "LibreOffice"

    def __init__(self, soffice: Path, *, profile_dir: Path | None = None, timeout: float = DEFAULT_TIMEOUT,
                 keep_warm: bool = False) -> None:
        self.soffice = Path(soffice)
        self.profile_dir = profile_dir or paths.user_cache_dir() / "lo-profile"
        self.timeout = timeout
        self.keep_warm = keep_warm
        self._listener: subprocess.Popen | None = None
        self._lock = threading.Lock()  # one profile, one conversion at a time

    # ---- the warm listener
    def _base_args(self) -> list[str]:
        return [str(self.soffice), f"-env:UserInstallation={self.profile_dir.resolve().as_uri()}", "--headless",
                "--norestore", "--nologo", "--nodefault", "--nolockcheck"]

    def _ensure_listener(self) -> None:
        """An idle headless instance on this profile; later conversions are forwarded to it over LibreOffice's
        own pipe and skip the start-up (measured 0.2 s instead of 1 s)."""
        if self._listener is not None and self._listener.poll() is None:
            return
        pipe = f"yanxiu{os.getpid()}"
        self._listener = subprocess.Popen(self._base_args() + [f"--accept=pipe,name={pipe};urp;"],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **_popen_kwargs())
        time.sleep(0.05)

    def close(self) -> None:
        if self._listener is not None:
            kill_tree(self._listener)
            self._listener = None

    def __del__(self) -> None:  # pragma: no cover - best effort at interpreter exit
        try:
            self.close()
        except Exception:  # noqa: BLE001 - never raise from a finaliser
            pass

    # ---- conversion
    def convert(self, docx_files: list[Path], out_dir: Path, progress: Progress | None = None) -> list[Path]:
        docx_files = [Path(p) for p in docx_files]
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        self.profile_dir.mkdir(parents=True, exist_ok=True)
        with self._lock:
            if progress:
                progress(0, len(docx_files), f"正在用{self.name}转换{len(docx_files)}个文件……")
            if self.keep_warm:
                self._ensure_listener()
            with tempfile.TemporaryDirectory(dir=out_dir, prefix=".pdf-") as tmp:
                self._run(docx_files, Path(tmp))
                results = []
                for i, src in enumerate(docx_files, start=1):
                    produced = Path(tmp) / (src.stem + ".pdf")
                    if not produced.is_file() and self.keep_warm:
                        # The listener may have died mid-job; one cold retry before giving up.
                        self.close()
                        self._run([src], Path(tmp), warm=False)
                    check_pdf(produced)
                    target = out_dir / produced.name
                    os.replace(produced, target)
                    results.append(target)
                    if progress:
                        progress(i, len(docx_files), f"已生成 {target.name}")
        return results

    def _run(self, files: list[Path], out_dir: Path, *, warm: bool | None = None) -> None:
        args = self._base_args() + ["--convert-to", "pdf:writer_pdf_Export", "--outdir", str(out_dir),
                                    *map(str, files)]
        try:
            proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **_popen_kwargs())
        except OSError as exc:
            raise ConversionError(f"无法启动LibreOffice（{self.soffice}）：{exc.strerror or exc}。") from exc
        try:
            _, err = proc.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            kill_tree(proc)
            self.close()  # a hung forwarded job usually means a hung listener
            raise ConversionError(f"LibreOffice在{self.timeout:g}秒内没有完成转换，已强制结束。"
                                  "Word文件已经生成，可以稍后重试，或用WPS/Word打开后另存为PDF。") from None
        if proc.returncode not in (0, None) and not any((out_dir / (f.stem + ".pdf")).exists() for f in files):
            detail = (err or b"").decode("utf-8", "replace").strip()[-300:]
            raise ConversionError(f"LibreOffice转换失败（退出码{proc.returncode}）。{detail}")
