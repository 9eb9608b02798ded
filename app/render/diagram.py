"""Draw the 研修模式与流程 flowchart from the process stages: PNG for the plan, the same painter for the live preview."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (QColor, QFont, QFontDatabase, QFontMetricsF, QGuiApplication, QImage, QPainter,
                           QPainterPath, QPen, QPolygonF, QTextOption)

from app.render.fontnames import CJK_FAMILIES

MODE_COLORS = {"线上": ("#DCEBFA", "#1F5FA8"), "线下": ("#E3F2E1", "#2E7D32"), "混合": ("#FDEBD3", "#B25B00")}
OTHER_MODE = ("#EEEEEE", "#555555")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
# Closing punctuation never starts a line in Chinese typesetting (避头尾): it hangs at the end of the line.
NO_LINE_START = "，。、；：！？）》」』”’…—·,.;:!?)]}%"
MAX_CONTENT_LINES = 5
MAX_TOOL_LINES = 2


def ensure_gui_app() -> QGuiApplication:
    """Text needs a QGuiApplication; without a display (CI, a command-line export) use the offscreen platform."""
    app = QGuiApplication.instance()
    if app is None:
        if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication([sys.argv[0] if sys.argv else "yanxiu"])
    return app  # type: ignore[return-value]


def cjk_family() -> str:
    """The first installed CJK family (for callers that need one name, such as the icon tool)."""
    families = set(QFontDatabase.families())
    return next((f for f in CJK_FAMILIES if f in families), QFont().defaultFamily())


def cjk_font() -> QFont:
    """A font that resolves to the first installed CJK family. A family list lets Qt resolve it lazily:
    enumerating the font database (QFontDatabase.families) costs a few megabytes of memory."""
    font = QFont()
    font.setFamilies(list(CJK_FAMILIES))
    return font


@dataclass(frozen=True)
class Metrics:
    """Sizes in device pixels for a drawing `width` pixels wide; `unit` is one millimetre."""

    width: float
    unit: float

    @property
    def pad(self) -> float:
        return 2.2 * self.unit

    @property
    def gap(self) -> float:
        return 5.5 * self.unit  # vertical room for the arrow between two stages

    @property
    def left_w(self) -> float:
        return self.width * 0.36


def _fonts(unit: float) -> tuple[QFont, QFont, QFont]:
    pt_to_px = unit * 25.4 / 72  # 1 pt = 25.4/72 mm
    title, body, small = cjk_font(), cjk_font(), cjk_font()
    title.setPixelSize(max(6, round(10.5 * pt_to_px)))
    title.setBold(True)
    body.setPixelSize(max(5, round(9 * pt_to_px)))
    small.setPixelSize(max(5, round(8 * pt_to_px)))
    return title, body, small


def _wrapped(fm: QFontMetricsF, text: str, width: float, max_lines: int) -> tuple[str, float]:
    """Text wrapped to width, cut to max_lines with an ellipsis; returns (text, height)."""
    lines: list[str] = []
    for para in text.split("\n"):
        current = ""
        for ch in para:
            if fm.horizontalAdvance(current + ch) > width and current and ch not in NO_LINE_START:
                lines.append(current)
                current = ch
            else:
                current += ch
            if len(lines) > max_lines:
                break
        lines.append(current)
        if len(lines) > max_lines:
            break
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and fm.horizontalAdvance(last + "…") > width:
            last = last[:-1]
        lines[-1] = last + "…"
    lines = lines or [""]
    return "\n".join(lines), fm.lineSpacing() * len(lines)


def _layout(stages: list[dict], m: Metrics):
    title_f, body_f, small_f = _fonts(m.unit)
    tf, bf, sf = QFontMetricsF(title_f), QFontMetricsF(body_f), QFontMetricsF(small_f)
    right_w = m.width - m.left_w - 3 * m.pad - 4 * m.unit
    rows = []
    for i, s in enumerate(stages):
        name = f"{CIRCLED[i] if i < len(CIRCLED) else i + 1} {s.get('name') or '（未命名阶段）'}"
        name_txt, name_h = _wrapped(tf, name, m.left_w - 2 * m.pad, 2)
        time_txt, time_h = _wrapped(bf, s.get("time") or "", m.left_w - 2 * m.pad, 2)
        mode = s.get("mode") or ""
        left_h = m.pad + name_h + (time_h if s.get("time") else 0) + (sf.height() + m.unit * 2.5 if mode else 0) + m.pad
        content_txt, content_h = _wrapped(bf, s.get("content") or "", right_w - 2 * m.pad, MAX_CONTENT_LINES)
        tools = s.get("tools") or ""
        tools_txt, tools_h = _wrapped(sf, f"平台工具：{tools}" if tools else "", right_w - 2 * m.pad, MAX_TOOL_LINES)
        right_h = m.pad + content_h + (tools_h + m.unit if tools else 0) + m.pad
        rows.append(dict(name=name_txt, time=time_txt, mode=mode, content=content_txt, tools=tools_txt if tools else "",
                         name_h=name_h, time_h=time_h if s.get("time") else 0, content_h=content_h,
                         height=max(left_h, right_h, 14 * m.unit)))
    total = m.pad + sum(r["height"] for r in rows) + m.gap * max(0, len(rows) - 1) + m.pad
    return rows, total, (title_f, body_f, small_f), right_w


def diagram_height(stages: list[dict], width: float, unit: float) -> float:
    return _layout(stages, Metrics(width, unit))[1]


def paint_flowchart(p: QPainter, stages: list[dict], width: float, unit: float) -> float:
    """Paint the flowchart at the painter's origin; returns the height used. unit = pixels per millimetre."""
    m = Metrics(width, unit)
    rows, total, (title_f, body_f, small_f), right_w = _layout(stages, m)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    opt = QTextOption()
    opt.setWrapMode(QTextOption.WrapMode.NoWrap)
    y = m.pad
    x_left = m.pad
    x_right = x_left + m.left_w + 4 * m.unit + m.pad
    line = QPen(QColor("#444444"), max(1.0, 0.3 * unit))
    for i, r in enumerate(rows):
        h = r["height"]
        fill, ink = MODE_COLORS.get(r["mode"], OTHER_MODE)
        # Stage box
        box = QRectF(x_left, y, m.left_w, h)
        path = QPainterPath()
        path.addRoundedRect(box, 2.2 * unit, 2.2 * unit)
        p.fillPath(path, QColor(fill))
        p.setPen(QPen(QColor(ink), max(1.0, 0.35 * unit)))
        p.drawPath(path)
        ty = y + m.pad
        p.setPen(QColor("#111111"))
        p.setFont(title_f)
        p.drawText(QRectF(x_left + m.pad, ty, m.left_w - 2 * m.pad, r["name_h"]), r["name"], opt)
        ty += r["name_h"]
        if r["time"]:
            p.setFont(body_f)
            p.setPen(QColor("#333333"))
            p.drawText(QRectF(x_left + m.pad, ty, m.left_w - 2 * m.pad, r["time_h"]), r["time"], opt)
            ty += r["time_h"]
        if r["mode"]:
            p.setFont(small_f)
            fm = QFontMetricsF(small_f)
            label = r["mode"][:6]
            bw, bh = fm.horizontalAdvance(label) + 3 * unit, fm.height() + 1.2 * unit
            badge = QRectF(x_left + m.pad, ty + 0.8 * unit, bw, bh)
            bpath = QPainterPath()
            bpath.addRoundedRect(badge, bh / 2, bh / 2)
            p.fillPath(bpath, QColor(ink))
            p.setPen(QColor("#FFFFFF"))
            p.drawText(badge, Qt.AlignmentFlag.AlignCenter, label)
        # Connector from the stage box to its content box
        mid = y + h / 2
        p.setPen(line)
        p.drawLine(QPointF(x_left + m.left_w, mid), QPointF(x_right, mid))
        # Content box
        cbox = QRectF(x_right, y, right_w, h)
        p.setPen(QPen(QColor("#888888"), max(1.0, 0.25 * unit)))
        p.setBrush(QColor("#FFFFFF"))
        p.drawRect(cbox)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QColor("#111111"))
        p.setFont(body_f)
        cy = y + m.pad
        p.drawText(QRectF(x_right + m.pad, cy, right_w - 2 * m.pad, r["content_h"]), r["content"], opt)
        cy += r["content_h"] + unit
        if r["tools"]:
            p.setFont(small_f)
            p.setPen(QColor("#444444"))
            p.drawText(QRectF(x_right + m.pad, cy, right_w - 2 * m.pad, h), r["tools"], opt)
        # Arrow down to the next stage
        if i + 1 < len(rows):
            cx = x_left + m.left_w / 2
            y0, y1 = y + h, y + h + m.gap
            p.setPen(QPen(QColor("#444444"), max(1.0, 0.4 * unit)))
            p.drawLine(QPointF(cx, y0), QPointF(cx, y1 - 1.6 * unit))
            p.setBrush(QColor("#444444"))
            p.drawPolygon(QPolygonF([QPointF(cx - 1.4 * unit, y1 - 1.8 * unit), QPointF(cx + 1.4 * unit, y1 - 1.8 * unit),
                                     QPointF(cx, y1)]))
            p.setBrush(Qt.BrushStyle.NoBrush)
        y += h + m.gap
    return total


def flowchart_png(stages: list[dict], width_mm: float, dpi: int = 170) -> tuple[bytes, float]:
    """PNG bytes of the flowchart width_mm wide; returns (png, height_mm)."""
    ensure_gui_app()
    unit = dpi / 25.4
    width = round(width_mm * unit)
    height = round(diagram_height(stages, width, unit))
    image = QImage(width, max(1, height), QImage.Format.Format_RGB32)
    image.fill(QColor("#FFFFFF"))
    painter = QPainter(image)
    try:
        paint_flowchart(painter, stages, width, unit)
    finally:
        painter.end()
    return encode_png(image, dpi), height / unit


def encode_png(image: QImage, dpi: int) -> bytes:
    """PNG bytes from Qt's own encoder, carrying the resolution the picture was drawn at."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    dots_per_metre = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buf, "PNG"):
        raise RuntimeError("Qt could not encode the flowchart as PNG")
    buf.close()
    return bytes(data.data())


def document_png(stages: list[dict]) -> bytes:
    """The plan's flowchart as the document embeds it. A pure function of the stages, memoized: the wizard
    draws it shortly after the teacher stops editing stages, so the export finds it ready."""
    return _document_png(tuple(tuple(sorted(s.items())) for s in stages))


@lru_cache(maxsize=8)
def _document_png(key: tuple) -> bytes:
    from app.render.layout import DIAGRAM_WIDTH_MM

    return flowchart_png([dict(s) for s in key], DIAGRAM_WIDTH_MM)[0]
