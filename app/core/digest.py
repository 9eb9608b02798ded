"""One definition of a file's checksum, shared by pack seals and the output folder's manifest."""

from __future__ import annotations

from pathlib import Path


def sha256_file(path: Path) -> str:
    """The hex sha256 of PATH, read in blocks so a large photo or pack never sits in memory whole."""
    import hashlib  # here, not at the top: its OpenSSL (3 MB resident) is not needed to start the app

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
