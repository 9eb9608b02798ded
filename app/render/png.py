"""A lean PNG encoder for flat-colour drawings: Qt's encoder tries every row filter, which triples the time for
a flowchart that filter 0 and fast zlib compress almost as well (and zlib releases the GIL)."""

from __future__ import annotations

import struct
import zlib

from PySide6.QtGui import QImage


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def encode_png(image: QImage, dpi: int, level: int = 1) -> bytes:
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h, stride = rgb.width(), rgb.height(), rgb.bytesPerLine()
    raw = bytes(rgb.constBits())
    row = w * 3
    # Each scanline: filter type 0, then the pixels without Qt's 4-byte row padding.
    scanlines = b"".join(b"\x00" + raw[y * stride:y * stride + row] for y in range(h))
    ppm = round(dpi / 0.0254)
    return (b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + _chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1))
            + _chunk(b"IDAT", zlib.compress(scanlines, level))
            + _chunk(b"IEND", b""))
