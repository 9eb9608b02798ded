"""Converter processes as a tree the app can end as a whole: its own process group on Linux and macOS, a Job
Object on Windows (closing the app never leaves soffice.bin or an office helper behind)."""

from __future__ import annotations

import os
import signal
import subprocess
import threading

_jobs: dict[int, int] = {}  # pid → Windows job handle
_jobs_lock = threading.Lock()


def popen_kwargs() -> dict:
    if os.name == "nt":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP | getattr(subprocess, "CREATE_NO_WINDOW", 0)}
    return {"start_new_session": True}  # its own process group: everything it starts can be ended together


def start(args: list[str], **kwargs) -> subprocess.Popen:
    """Popen in a tree of its own; on Windows the process is put in a Job Object that ends with it."""
    proc = subprocess.Popen(args, **popen_kwargs(), **kwargs)
    if os.name == "nt":
        _assign_job(proc)
    return proc


def _kernel32():
    """kernel32 with the signatures declared: handles are pointer-sized, ctypes' default int would cut them."""
    import ctypes
    from ctypes import wintypes

    k = ctypes.WinDLL("kernel32", use_last_error=True)
    k.CreateJobObjectW.restype = wintypes.HANDLE
    k.CreateJobObjectW.argtypes = [ctypes.c_void_p, wintypes.LPCWSTR]
    k.SetInformationJobObject.argtypes = [wintypes.HANDLE, ctypes.c_int, ctypes.c_void_p, wintypes.DWORD]
    k.AssignProcessToJobObject.argtypes = [wintypes.HANDLE, wintypes.HANDLE]
    k.TerminateJobObject.argtypes = [wintypes.HANDLE, wintypes.UINT]
    k.CloseHandle.argtypes = [wintypes.HANDLE]
    return k


def _assign_job(proc: subprocess.Popen) -> None:
    import ctypes
    from ctypes import wintypes

    kernel32 = _kernel32()
    job = kernel32.CreateJobObjectW(None, None)
    if not job:
        return

    class _Basic(ctypes.Structure):
        _fields_ = [("PerProcessUserTimeLimit", ctypes.c_int64), ("PerJobUserTimeLimit", ctypes.c_int64),
                    ("LimitFlags", wintypes.DWORD), ("MinimumWorkingSetSize", ctypes.c_size_t),
                    ("MaximumWorkingSetSize", ctypes.c_size_t), ("ActiveProcessLimit", wintypes.DWORD),
                    ("Affinity", ctypes.c_size_t), ("PriorityClass", wintypes.DWORD),
                    ("SchedulingClass", wintypes.DWORD)]

    class _Io(ctypes.Structure):
        _fields_ = [(n, ctypes.c_uint64) for n in ("r", "w", "o", "rb", "wb", "ob")]

    class _Extended(ctypes.Structure):
        _fields_ = [("Basic", _Basic), ("Io", _Io), ("ProcessMemoryLimit", ctypes.c_size_t),
                    ("JobMemoryLimit", ctypes.c_size_t), ("PeakProcessMemoryUsed", ctypes.c_size_t),
                    ("PeakJobMemoryUsed", ctypes.c_size_t)]

    info = _Extended()
    info.Basic.LimitFlags = 0x2000  # JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE: the tree ends even if we crash
    kernel32.SetInformationJobObject(job, 9, ctypes.byref(info), ctypes.sizeof(info))  # ExtendedLimitInformation
    if kernel32.AssignProcessToJobObject(job, int(proc._handle)):  # noqa: SLF001 - Popen's process handle
        with _jobs_lock:
            _jobs[proc.pid] = job
    else:
        kernel32.CloseHandle(job)


def kill_tree(proc: subprocess.Popen, wait: float = 10.0) -> None:
    """End a process and everything it started; soffice is a wrapper around soffice.bin."""
    if os.name == "nt":
        with _jobs_lock:
            job = _jobs.pop(proc.pid, None)
        if job is not None:
            kernel32 = _kernel32()
            kernel32.TerminateJobObject(job, 1)
            kernel32.CloseHandle(job)
        elif proc.poll() is None:
            try:
                subprocess.run(["taskkill", "/T", "/F", "/PID", str(proc.pid)], capture_output=True, timeout=wait)
            except (OSError, subprocess.SubprocessError):
                pass
    else:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the group outlives its leader: kill it even if the leader died
        except (ProcessLookupError, PermissionError, OSError):
            pass
    if proc.poll() is None:
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            proc.kill()
