"""Write a python-docx package faster than Document.save: images are stored (they are compressed already) and XML
is deflated at level 1, which compresses Word's repetitive XML almost as well as the default level 6."""

from __future__ import annotations

import zipfile
from typing import IO

from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
from docx.opc.pkgwriter import _ContentTypesItem

_ALREADY_COMPRESSED = ("image/png", "image/jpeg", "image/gif")


def save_package(document, stream: IO[bytes]) -> None:
    """The same parts, relationships and content types PackageWriter writes, in the same order."""
    package = document.part.package
    parts = list(package.iter_parts())
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr(CONTENT_TYPES_URI.membername, _ContentTypesItem.from_parts(parts).blob)
        z.writestr(PACKAGE_URI.rels_uri.membername, package.rels.xml)
        for part in parts:
            stored = part.content_type in _ALREADY_COMPRESSED
            z.writestr(part.partname.membername, part.blob,
                       compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
            if len(part.rels):
                z.writestr(part.partname.rels_uri.membername, part.rels.xml)


