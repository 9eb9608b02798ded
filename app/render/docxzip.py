"""Write a python-docx package faster than Document.save: images are stored (they are compressed already), parts
under 1 KB are stored (deflate's setup costs more than it saves), and the rest is deflated at level 1, which
compresses Word's repetitive XML almost as well as the default level 6."""

from __future__ import annotations

import zipfile
from typing import IO

from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
from docx.opc.pkgwriter import _ContentTypesItem

_ALREADY_COMPRESSED = ("image/png", "image/jpeg", "image/gif")
_TINY = 1024


def _write(z: zipfile.ZipFile, name: str, data: bytes, *, stored: bool = False) -> None:
    z.writestr(name, data, compress_type=zipfile.ZIP_STORED if stored or len(data) < _TINY else zipfile.ZIP_DEFLATED)


def save_package(document, stream: IO[bytes]) -> None:
    """The same parts, relationships and content types PackageWriter writes, in the same order."""
    package = document.part.package
    parts = list(package.iter_parts())
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        _write(z, CONTENT_TYPES_URI.membername, _ContentTypesItem.from_parts(parts).blob)
        _write(z, PACKAGE_URI.rels_uri.membername, package.rels.xml)
        for part in parts:
            _write(z, part.partname.membername, part.blob, stored=part.content_type in _ALREADY_COMPRESSED)
            if len(part.rels):
                _write(z, part.partname.rels_uri.membername, part.rels.xml)


