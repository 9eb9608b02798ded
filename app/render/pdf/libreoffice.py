"""LibreOffice as a PDF converter: an app-private profile, one process for a whole batch, a hard timeout that kills
the process tree, and a listener kept warm between exports (TECH-NOTES §4.1)."""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from functools import lru_cache
from pathlib import Path
from typing import Callable

from app import paths
from app.render.pdf import proctree
from app.render.pdf.base import ConversionError, Progress, check_pdf

CLOSE_TIMEOUT = 3.0  # closing the window waits this long for LibreOffice to quit, then ends its process tree

DEFAULT_TIMEOUT = 120.0
_WINDOWS_DIRS = (r"C:\Program Files\LibreOffice\program", r"C:\Program Files (x86)\LibreOffice\program")
_POSIX_DIRS = ("/usr/bin", "/usr/local/bin", "/opt/libreoffice/program", "/usr/lib/libreoffice/program",
               "/snap/bin", "/Applications/LibreOffice.app/Contents/MacOS")


def find_soffice(configured: str | os.PathLike | None = None) -> Path | None:
    """A path from settings first, then PATH, then the usual install folders (a configured path that is not a
    program does not stop the search: configured_path_problem names it)."""
    if configured and configured_path_problem(configured) is None:
        return Path(configured)
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


def configured_path_problem(configured: str | os.PathLike) -> str | None:
    """Why a LibreOffice path from the settings cannot be used, in Chinese; None when it looks like a program."""
    p = Path(configured)
    try:
        if not p.exists():
            return "不存在"
        if not p.is_file():
            return "不是程序文件"
        if os.name != "nt" and not os.access(p, os.X_OK):
            return "不是可以运行的程序"
    except (OSError, ValueError):
        return "无法访问"
    return None


def _popen_kwargs() -> dict:
    return proctree.popen_kwargs()


def kill_tree(proc: subprocess.Popen) -> None:
    """Kill a process and everything it started (app/render/pdf/proctree.py)."""
    proctree.kill_tree(proc)


WORKER = Path(__file__).with_name("uno_worker.py")


@lru_cache(maxsize=8)
def find_uno_python(soffice: Path) -> Path | None:
    """A Python that can `import uno`: LibreOffice's own (Windows, macOS) or the system one with python3-uno."""
    program = Path(soffice).resolve().parent
    candidates = [program / ("python.exe" if os.name == "nt" else "python")]
    if os.name != "nt":
        candidates.append(Path("/usr/bin/python3"))
        if not getattr(sys, "frozen", False):  # frozen, sys.executable is this app, not a Python
            candidates.append(Path(sys.executable))
    for py in candidates:
        if not py.is_file():
            continue
        try:
            ok = subprocess.run([str(py), "-c", "import uno"], capture_output=True, timeout=30,
                                **_popen_kwargs()).returncode == 0
        except (OSError, subprocess.SubprocessError):
            ok = False
        if ok:
            return py
    return None


class _UnoSession:
    """One LibreOffice kept running behind the UNO worker; requests and answers are JSON lines."""

    def __init__(self, python: Path, soffice: Path, profile_dir: Path, start_timeout: float,
                 on_start=None) -> None:
        pipe = f"yanxiu{os.getpid()}x{int(time.time() * 1000) % 100000}"
        self.proc = proctree.start([str(python), str(WORKER), str(soffice), profile_dir.resolve().as_uri(), pipe],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                   text=True, encoding="utf-8")
        if on_start is not None:
            on_start(self.proc)  # the converter can end it from another thread while we wait for it below
        self._answers: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        hello = self._answer(start_timeout)
        if not hello.get("ready"):
            self.close()
            raise ConversionError(f"LibreOffice没有启动：{hello.get('error', '')}")

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._answers.put(line)
        self._answers.put(None)

    def _answer(self, timeout: float) -> dict:
        try:
            line = self._answers.get(timeout=timeout)
        except queue.Empty:
            self.close()
            raise ConversionError(f"LibreOffice在{timeout:g}秒内没有响应，已强制结束。") from None
        if line is None:
            self.close()
            raise ConversionError("LibreOffice意外退出。")
        return json.loads(line)

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def convert_many(self, jobs: list[tuple[Path, Path]], timeout: float, progress: Progress | None = None,
                     each: Callable[[int], None] | None = None) -> None:
        """Send every request at once, so LibreOffice goes from one document to the next without waiting for us;
        `each(i)` is called as job i's PDF is complete, while LibreOffice converts the next. Every answer is read
        before anything raises, so the session stays in step for the next batch."""
        assert self.proc.stdin is not None
        try:
            for src, dst in jobs:
                self.proc.stdin.write(json.dumps({"in": str(src.resolve()), "out": str(dst.resolve())}) + "\n")
            self.proc.stdin.flush()
        except OSError as exc:
            self.close()
            raise ConversionError("LibreOffice意外退出。") from exc
        failure: Exception | None = None
        for i, (src, _) in enumerate(jobs):
            answer = self._answer(timeout)
            if not answer.get("ok") and failure is None:
                failure = ConversionError(f"LibreOffice无法转换“{src.name}”：{answer.get('error', '')}")
            if progress:
                progress(i + 1, len(jobs), f"已转换 {src.stem}.pdf")
            if each is not None and failure is None:
                try:
                    each(i)
                except Exception as exc:  # noqa: BLE001 - raised once the remaining answers are read
                    failure = exc
        if failure is not None:
            raise failure

    def convert(self, src: Path, dst: Path, timeout: float) -> None:
        self.convert_many([(src, dst)], timeout)

    def close(self, grace: float = 5.0) -> None:
        if self.alive and self.proc.stdin is not None and grace > 0:
            try:
                self.proc.stdin.write(json.dumps({"quit": True}) + "\n")
                self.proc.stdin.flush()
                self.proc.wait(timeout=grace)
            except (OSError, subprocess.TimeoutExpired, ValueError):
                pass
        kill_tree(self.proc)


class LibreOfficeConverter:
    """Converts a batch in one LibreOffice process. With keep_warm, once a batch is done a LibreOffice is started
    in the background and kept for the session, so later exports convert in a fraction of a second; without a
    UNO-capable Python every export is one cold batch. (Two warm instances were measured slower: LibreOffice
    already keeps both cores of a school PC busy.)"""

    name = "LibreOffice"
    hands_over_each = True  # convert() takes `ready` (app/render/pdf/base.py: convert_each)

    def __init__(self, soffice: Path, *, profile_dir: Path | None = None, timeout: float = DEFAULT_TIMEOUT,
                 keep_warm: bool = False, font_cache: Path | None = None) -> None:
        self.soffice = Path(soffice)
        self.profile_dir = profile_dir or paths.user_cache_dir() / "lo-profile"
        self.timeout = timeout
        self.keep_warm = keep_warm
        self._session: _UnoSession | None = None
        self._warming: threading.Thread | None = None
        self._lock = threading.Lock()  # the profiles are used by one conversion at a time
        self._procs: list[subprocess.Popen] = []  # everything started, so close() can end it
        self._procs_lock = threading.Lock()
        self._closing = False
        self._aborts = 0  # counts abort(): a conversion that was waiting for the profile when it came fails too
        self.font_replacements: dict[str, str] | None = None  # set in the profile before LibreOffice first starts
        self.font_cache = font_cache or paths.user_cache_dir() / "fonts"  # the standalone SC faces (scfaces.py)
        self._sc_faces: dict[str, tuple[str, list[Path]]] = {}
        self._fonts_thread: threading.Thread | None = None

    def font_table(self) -> dict[str, str]:
        """Requested font → the installed face LibreOffice draws it with (app/render/pdf/lofonts.py). The first call
        waits for the standalone SC faces (app/render/pdf/scfaces.py: seconds once per machine, then a stamp check),
        cut on a thread of their own so that abort() or close() never waits for them: a conversion waiting for
        them then fails as a stopped one."""
        if self.font_replacements is None:
            from app.render.pdf.fontcheck import installed_families
            from app.render.pdf.lofonts import replacement_table

            aborts = self._aborts
            thread = self._cut_fonts()
            while thread.is_alive():
                thread.join(0.05)
                if self._closing or self._aborts != aborts:
                    raise ConversionError("PDF转换已停止。")
            standalone = {kind: family for kind, (family, _files) in self._sc_faces.items()}
            self.font_replacements = replacement_table(installed_families(), standalone)
        return self.font_replacements

    def _cut_fonts(self) -> threading.Thread:
        """The one thread that prepares the standalone SC faces (started by the first caller)."""
        with self._procs_lock:
            if self._fonts_thread is None:
                def cut() -> None:
                    from app.render.pdf import scfaces

                    self._sc_faces = scfaces.prepare(self.font_cache)

                # A daemon: pure Python with temporary files renamed into place, it may be left at exit.
                self._fonts_thread = threading.Thread(target=cut, name="yanxiu-sc-fonts", daemon=True)
                self._fonts_thread.start()
            return self._fonts_thread

    def _prepare_profile(self) -> None:
        """The standalone SC faces, the font replacement table and the conversion's settings, put into the profile
        before LibreOffice reads it."""
        from app.render.pdf import scfaces
        from app.render.pdf.lofonts import write_replacements
        from app.render.pdf.loprofile import write_conversion_settings

        self.profile_dir.mkdir(parents=True, exist_ok=True)
        table = self.font_table()
        scfaces.install(self.profile_dir, [f for _family, files in self._sc_faces.values() for f in files])
        write_replacements(self.profile_dir, table)
        write_conversion_settings(self.profile_dir)

    def _track(self, proc: subprocess.Popen) -> None:
        with self._procs_lock:
            self._procs = [p for p in self._procs if p.poll() is None] + [proc]

    def abort(self) -> None:
        """End every process this converter started, now, from any thread; a conversion under way fails."""
        with self._procs_lock:
            procs, self._procs = self._procs, []
            self._aborts += 1
        for proc in procs:
            kill_tree(proc)

    def close(self, timeout: float = CLOSE_TIMEOUT) -> None:
        """Let LibreOffice quit for at most `timeout` seconds (a hung one never holds the window), then end the
        whole process tree of everything this converter started."""
        deadline = time.monotonic() + timeout
        self._closing = True
        if self._warming is not None:
            self._warming.join(max(0.0, deadline - time.monotonic()) / 2)
        if self._lock.acquire(timeout=max(0.01, deadline - time.monotonic())):
            try:
                if self._session is not None:
                    self._session.close(grace=max(0.0, deadline - time.monotonic()))
                    self._session = None
            finally:
                self._lock.release()
        self.abort()
        self._session = None

    def wait_warm(self, timeout: float | None = None) -> bool:
        """Wait for a background warm-up to finish; True when a warm LibreOffice is ready."""
        if self._warming is not None:
            self._warming.join(timeout)
            if not self._warming.is_alive():
                self._warming = None
        return self.warm

    @property
    def warm(self) -> bool:
        return self._session is not None and self._session.alive

    def _base_args(self) -> list[str]:
        return [str(self.soffice), f"-env:UserInstallation={self.profile_dir.resolve().as_uri()}", "--headless",
                "--norestore", "--nologo", "--nodefault", "--nolockcheck"]

    def convert(self, docx_files: list[Path], out_dir: Path, progress: Progress | None = None,
                ready: Callable[[int, Path], None] | None = None) -> list[Path]:
        """The PDFs in out_dir, in the order of docx_files. `ready(i, pdf)`, when given, is called on this thread
        with each PDF: in a warm session as soon as it is checked and in out_dir, while LibreOffice converts the next
        document, so what the caller does with a PDF (reading it back) overlaps the conversion; in a cold batch
        after it, once the warm-up has started (a preview cancelled in `ready` still leaves a warm LibreOffice)."""
        docx_files = [Path(p) for p in docx_files]
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        self.profile_dir.mkdir(parents=True, exist_ok=True)
        total = len(docx_files)
        aborts = self._aborts
        self.wait_warm()
        with self._lock, tempfile.TemporaryDirectory(dir=out_dir, prefix=".pdf-") as tmp:
            tmp_dir = Path(tmp)
            if self._aborts != aborts:
                # Queued behind a conversion that was stopped (the window is closing): start no LibreOffice now.
                raise ConversionError("PDF转换已停止。")
            if progress:
                progress(0, total, f"正在用{self.name}转换{total}个文件……")
            results: list[Path] = []

            def settle(i: int, hand_over: bool) -> None:
                produced = tmp_dir / (docx_files[i].stem + ".pdf")
                check_pdf(produced)
                target = out_dir / produced.name
                os.replace(produced, target)
                results.append(target)
                if hand_over and ready is not None:
                    ready(i, target)

            warm = self.warm
            if warm:
                self._convert_warm(docx_files, tmp_dir, progress, lambda i: settle(i, True))
            else:
                self._prepare_profile()
                self._run(docx_files, tmp_dir, aborts)
                for i in range(total):
                    settle(i, False)  # handed over below, once the warm-up has started whatever `ready` does
            if progress:
                progress(total, total, "PDF转换完成")
        if self.keep_warm and not warm and not self._closing:
            # The caller may delete its files as soon as we return: the warm-up primes with its own copy.
            prime_dir = Path(tempfile.mkdtemp(prefix="yanxiu-prime-"))
            sample = prime_dir / "prime.docx"
            shutil.copyfile(docx_files[0], sample)
            self._warming = threading.Thread(target=self._warm_up, args=(sample,), name="lo-warm-up", daemon=True)
            self._warming.start()
        if not warm and ready is not None:
            for i, pdf in enumerate(results):
                ready(i, pdf)
        return results

    def _warm_up(self, sample: Path) -> None:
        try:
            python = find_uno_python(self.soffice)
            if python is None:
                return
            with self._lock:
                if self._closing:
                    return
                try:
                    self._prepare_profile()
                    self._session = _UnoSession(python, self.soffice, self.profile_dir, self.timeout, self._track)
                    # A session's first document loads fonts and the PDF filter: pay that now, not at the next export.
                    self._session.convert(sample, sample.with_suffix(".pdf"), self.timeout)
                except ConversionError:
                    if self._session is not None:
                        self._session.close()
                    self._session = None  # every export stays a one-process batch
        finally:
            shutil.rmtree(sample.parent, ignore_errors=True)

    def _convert_warm(self, files: list[Path], out_dir: Path, progress: Progress | None,
                      each: Callable[[int], None]) -> None:
        assert self._session is not None
        try:
            self._session.convert_many([(src, out_dir / (src.stem + ".pdf")) for src in files], self.timeout, progress,
                                       each)
        except ConversionError:
            if not self._session.alive:
                self._session = None  # the next export starts cold and warms up again
            raise

    def _run(self, files: list[Path], out_dir: Path, aborts: int | None = None) -> None:
        args = self._base_args() + ["--convert-to", "pdf:writer_pdf_Export", "--outdir", str(out_dir),
                                    *map(str, files)]
        try:
            proc = proctree.start(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except OSError as exc:
            from app.core.oserrors import explain

            raise ConversionError(f"无法启动LibreOffice（{self.soffice}）：{explain(exc)}。") from exc
        self._track(proc)
        if aborts is not None and self._aborts != aborts:
            kill_tree(proc)  # abort() came while it was starting, before it could see the process
            raise ConversionError("PDF转换已停止。")
        try:
            _, err = proc.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            kill_tree(proc)
            raise ConversionError(f"LibreOffice在{self.timeout:g}秒内没有完成转换，已强制结束。"
                                  "可以稍后重试，或先只导出Word文件，再用WPS/Word打开后另存为PDF。") from None
        if proc.returncode not in (0, None) and not any((out_dir / (f.stem + ".pdf")).exists() for f in files):
            detail = (err or b"").decode("utf-8", "replace").strip()[-300:]
            raise ConversionError(f"LibreOffice转换失败（退出码{proc.returncode}）。{detail}")
