"""One running app per user and data folder: a second `yanxiu FILE` hands the file to the running window instead of
opening a second writer of the same case."""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path

from PySide6.QtCore import QCryptographicHash, QObject, Signal

CONNECT_MS = 1500


def server_name(data_dir: Path) -> str:
    """Derived from the user and the data folder, so separate users and separate data folders never meet."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError, ImportError):
        user = ""
    try:
        where = str(Path(data_dir).resolve())
    except OSError:
        where = str(Path(data_dir).absolute())
    # Qt's SHA-256, not hashlib: hashlib loads OpenSSL (3 MB resident) into every start of the app for this one name.
    data = f"{user}\0{where}".encode("utf-8", "surrogatepass")
    digest = bytes(QCryptographicHash.hash(data, QCryptographicHash.Algorithm.Sha256).toHex()).decode("ascii")[:24]
    return f"yanxiu-{digest}"


class SingleInstance(QObject):
    """listen() in the first instance; forward() from any later one. `received` carries each request (a dict)."""

    received = Signal(dict)

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(data_dir)
        self.server = None  # a QLocalServer once listening
        self._clients: dict = {}

    def may_be_running(self) -> bool:
        """Cheap, without loading QtNetwork: on Linux and macOS a running instance has its socket file in the
        temp folder (QLocalServer puts it there); elsewhere ask the server."""
        if os.name == "nt":
            return True
        return (Path(os.environ.get("TMPDIR") or "/tmp") / self.name).exists()

    def forward(self, request: dict, timeout_ms: int = CONNECT_MS) -> bool:
        """Send the request to a running instance; True when it confirmed."""
        from PySide6.QtNetwork import QLocalSocket  # 20 ms of start-up: only when an instance may be running

        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(timeout_ms):
            return False
        socket.write(json.dumps(request, ensure_ascii=False).encode("utf-8") + b"\n")
        if not socket.waitForBytesWritten(timeout_ms):
            return False
        ok = False
        while socket.waitForReadyRead(timeout_ms):
            if bytes(socket.readAll().data()).strip() == b"ok":
                ok = True
                break
        socket.disconnectFromServer()
        return ok

    def listen(self) -> bool:
        from PySide6.QtNetwork import QLocalServer

        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)  # this user only
        if not server.listen(self.name):
            if self.forward({"ping": True}, 500):
                return False  # another instance came up meanwhile
            QLocalServer.removeServer(self.name)  # a socket left by a crashed instance
            if not server.listen(self.name):
                return False
        server.newConnection.connect(self._accept)
        self.server = server
        return True

    def _accept(self) -> None:
        while self.server is not None and self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            self._clients[socket] = b""  # Python keeps each client (and its bytes so far) until it disconnects
            socket.readyRead.connect(self._read)
            socket.disconnected.connect(self._drop)

    def _drop(self) -> None:
        socket = self.sender()
        if socket in self._clients:
            del self._clients[socket]
            socket.deleteLater()

    def _read(self) -> None:
        socket = self.sender()
        if socket not in self._clients:
            return
        buffer = self._clients[socket] + bytes(socket.readAll().data())
        self._clients[socket] = buffer
        if b"\n" not in buffer:
            return
        self._clients[socket] = b""
        line = buffer.split(b"\n", 1)[0]
        try:
            request = json.loads(line.decode("utf-8"))
        except ValueError:
            request = None
        socket.write(b"ok\n")
        socket.flush()
        if isinstance(request, dict) and not request.get("ping"):
            self.received.emit(request)

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
