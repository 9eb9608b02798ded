"""Downscale a large photo so the supporting materials fit the 100 MB budget (Qt's image classes, no widgets)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QImageReader, QImageWriter

from app.core.atomic import atomic_write_bytes


class ImageError(ValueError):
    """A photo cannot be read or written; str() says why in Chinese."""


def downscale_photo(src: Path, dst: Path, *, max_side: int = 2400, quality: int = 85) -> int:
    """Write a JPEG no larger than max_side pixels on its longest side; returns the new size in bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    from app.render.diagram import ensure_gui_app

    ensure_gui_app()
    reader = QImageReader(str(src))
    reader.setAutoTransform(True)  # phone photos carry their rotation in EXIF
    image: QImage = reader.read()
    if image.isNull():
        raise ImageError(f"无法读取图片“{Path(src).name}”：{reader.errorString()}")
    if max(image.width(), image.height()) > max_side:
        image = image.scaled(max_side, max_side, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buf, b"jpg")
    writer.setQuality(quality)
    if not writer.write(image.convertToFormat(QImage.Format.Format_RGB888)):
        raise ImageError(f"无法压缩图片“{Path(src).name}”：{writer.errorString()}")
    buf.close()
    out = bytes(data.data())
    atomic_write_bytes(Path(dst), out)
    return len(out)
