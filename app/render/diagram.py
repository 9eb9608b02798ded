"""Draw the 研修模式与流程 flowchart from the process stages: PNG for the plan, the same painter for the live preview."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (QColor, QFont, QFontDatabase, QFontMetricsF, QGuiApplication, QImage, QPainter,
                           QPainterPath, QPen, QPolygonF, QTextOption)

from app.core.platform import CONTINUED
from app.render.fontnames import CJK_FAMILIES

MODE_COLORS = {"线上": ("#DCEBFA", "#1F5FA8"), "线下": ("#E3F2E1", "#2E7D32"), "混合": ("#FDEBD3", "#B25B00")}
OTHER_MODE = ("#EEEEEE", "#555555")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
# Closing punctuation never starts a line in Chinese typesetting (避头尾): it hangs at the end of the line.
NO_LINE_START = "，。、；：！？）》」』”’…—·,.;:!?)]}%"
PART_TITLE = "研修流程图示"


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


def _wrap(fm: QFontMetricsF, text: str, width: float) -> list[str]:
    """Every character of text, wrapped to width; closing punctuation never starts a line. Nothing is cut."""
    lines: list[str] = []
    for para in text.split("\n"):
        current = ""
        for ch in para:
            if current and ch not in NO_LINE_START and fm.horizontalAdvance(current + ch) > width:
                lines.append(current)
                current = ch
            else:
                current += ch
        lines.append(current)
    return lines


@dataclass
class _Piece:
    """One stage box and its content box, or the continuation of a stage too tall for one part."""

    index: int  # the stage's position
    name: list[str]
    time: list[str]
    mode: str
    mode_lines: list[str]
    right: list[tuple[str, str]]  # ("body" | "small" | "gap", line)
    height: float = 0.0


class _Fonts:
    def __init__(self, unit: float) -> None:
        self.title, self.body, self.small = _fonts(unit)
        self.tf, self.bf, self.sf = QFontMetricsF(self.title), QFontMetricsF(self.body), QFontMetricsF(self.small)


def _line_h(f: _Fonts, kind: str, unit: float) -> float:
    return {"body": f.bf.lineSpacing(), "small": f.sf.lineSpacing(), "gap": unit}[kind]


def _badge_size(f: _Fonts, lines: list[str], unit: float) -> tuple[float, float]:
    width = max(f.sf.horizontalAdvance(line) for line in lines) + 3 * unit
    return width, f.sf.lineSpacing() * len(lines) + 1.2 * unit


def _measure(piece: _Piece, f: _Fonts, m: Metrics) -> float:
    left = m.pad + f.tf.lineSpacing() * len(piece.name) + f.bf.lineSpacing() * len(piece.time)
    if piece.mode_lines:
        left += _badge_size(f, piece.mode_lines, m.unit)[1] + 1.6 * m.unit
    left += m.pad
    right = 2 * m.pad + sum(_line_h(f, kind, m.unit) for kind, _ in piece.right)
    return max(left, right, 14 * m.unit)


def _right_w(m: Metrics) -> float:
    return m.width - m.left_w - 3 * m.pad - 4 * m.unit


def _pieces(stages: list[dict], m: Metrics, f: _Fonts) -> list[_Piece]:
    inner_left = m.left_w - 2 * m.pad
    inner_right = _right_w(m) - 2 * m.pad
    pieces = []
    for i, s in enumerate(stages):
        mode = s.get("mode") or ""
        right = [("body", line) for line in _wrap(f.bf, s.get("content") or "", inner_right)] if s.get("content") else []
        if s.get("tools"):
            right += [("gap", "")] if right else []
            right += [("small", line) for line in _wrap(f.sf, f"平台工具：{s['tools']}", inner_right)]
        piece = _Piece(i, _wrap(f.tf, _stage_name(i, s), inner_left),
                       _wrap(f.bf, s["time"], inner_left) if s.get("time") else [], mode,
                       _wrap(f.sf, mode, inner_left - 3 * m.unit) if mode else [], right)
        piece.height = _measure(piece, f, m)
        pieces.append(piece)
    return pieces


def _stage_name(i: int, s: dict) -> str:
    return f"{CIRCLED[i] if i < len(CIRCLED) else i + 1} {s.get('name') or '（未命名阶段）'}"


def _split_tall(piece: _Piece, stage: dict, limit: float, m: Metrics, f: _Fonts) -> list[_Piece]:
    """A stage taller than a part: its content continues in a box named "…（续）" in the next part."""
    out = []
    while piece.height > limit and len(piece.right) > 1:
        room = limit - 2 * m.pad
        keep, used = 0, 0.0
        while keep < len(piece.right) - 1 and used + _line_h(f, piece.right[keep][0], m.unit) <= room:
            used += _line_h(f, piece.right[keep][0], m.unit)
            keep += 1
        keep = max(1, keep)
        head = _Piece(piece.index, piece.name, piece.time, piece.mode, piece.mode_lines, piece.right[:keep])
        head.height = _measure(head, f, m)
        out.append(head)
        rest = piece.right[keep:]
        while rest and rest[0][0] == "gap":
            rest = rest[1:]
        name = _wrap(f.tf, _stage_name(piece.index, stage) + CONTINUED, m.left_w - 2 * m.pad)
        piece = _Piece(piece.index, name, [], "", [], rest)
        piece.height = _measure(piece, f, m)
    out.append(piece)
    return out


def _title_h(f: _Fonts, m: Metrics) -> float:
    return f.sf.lineSpacing() + 1.5 * m.unit


def _parts(stages: list[dict], m: Metrics, f: _Fonts, max_height: float | None) -> list[list[_Piece]]:
    """The stages in parts no taller than max_height (pixels, titles and arrows included); one part if None."""
    pieces = _pieces(stages, m, f)
    if max_height is None:
        return [pieces]
    title = _title_h(f, m)
    room = max_height - 2 * m.pad - title - m.gap  # a part ends with an arrow on to the next
    split = [p for piece in pieces for p in _split_tall(piece, stages[piece.index], room, m, f)]
    total = sum(p.height + m.gap for p in split)
    count = max(1, -(-int(total) // int(room)))
    target = min(room, total / count * 1.1)  # parts of similar height rather than one full and one short
    parts: list[list[_Piece]] = [[]]
    used = 0.0
    for piece in split:
        if parts[-1] and used + piece.height > target:
            parts.append([])
            used = 0.0
        parts[-1].append(piece)
        used += piece.height + m.gap
    return parts


def _part_height(part: list[_Piece], m: Metrics, f: _Fonts, titled: bool, more: bool) -> float:
    body = sum(p.height for p in part) + m.gap * (len(part) - 1 + (1 if more else 0))
    return m.pad + (_title_h(f, m) if titled else 0) + body + m.pad


def diagram_height(stages: list[dict], width: float, unit: float) -> float:
    m = Metrics(width, unit)
    f = _Fonts(unit)
    return _part_height(_parts(stages, m, f, None)[0], m, f, False, False)


def paint_flowchart(p: QPainter, stages: list[dict], width: float, unit: float) -> float:
    """Paint the whole flowchart at the painter's origin (the wizard's preview); returns the height used."""
    m = Metrics(width, unit)
    f = _Fonts(unit)
    return _paint_part(p, _parts(stages, m, f, None)[0], m, f, None, False)


def _arrow(p: QPainter, cx: float, y0: float, y1: float, unit: float) -> None:
    p.setPen(QPen(QColor("#444444"), max(1.0, 0.4 * unit)))
    p.drawLine(QPointF(cx, y0), QPointF(cx, y1 - 1.6 * unit))
    p.setBrush(QColor("#444444"))
    p.drawPolygon(QPolygonF([QPointF(cx - 1.4 * unit, y1 - 1.8 * unit), QPointF(cx + 1.4 * unit, y1 - 1.8 * unit),
                             QPointF(cx, y1)]))
    p.setBrush(Qt.BrushStyle.NoBrush)


def _paint_part(p: QPainter, part: list[_Piece], m: Metrics, f: _Fonts, title: str | None, more: bool) -> float:
    unit = m.unit
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    opt = QTextOption()
    opt.setWrapMode(QTextOption.WrapMode.NoWrap)
    y = m.pad
    x_left = m.pad
    x_right = x_left + m.left_w + 4 * unit + m.pad
    right_w = _right_w(m)
    if title:
        p.setFont(f.small)
        p.setPen(QColor("#333333"))
        p.drawText(QRectF(x_left, y, m.width - 2 * m.pad, f.sf.lineSpacing()), title, opt)
        y += _title_h(f, m)
    line = QPen(QColor("#444444"), max(1.0, 0.3 * unit))
    for i, r in enumerate(part):
        h = r.height
        fill, ink = MODE_COLORS.get(r.mode, OTHER_MODE)
        box = QRectF(x_left, y, m.left_w, h)
        path = QPainterPath()
        path.addRoundedRect(box, 2.2 * unit, 2.2 * unit)
        p.fillPath(path, QColor(fill))
        p.setPen(QPen(QColor(ink), max(1.0, 0.35 * unit)))
        p.drawPath(path)
        ty = y + m.pad
        p.setPen(QColor("#111111"))
        p.setFont(f.title)
        for text in r.name:
            p.drawText(QRectF(x_left + m.pad, ty, m.left_w - 2 * m.pad, f.tf.lineSpacing()), text, opt)
            ty += f.tf.lineSpacing()
        p.setFont(f.body)
        p.setPen(QColor("#333333"))
        for text in r.time:
            p.drawText(QRectF(x_left + m.pad, ty, m.left_w - 2 * m.pad, f.bf.lineSpacing()), text, opt)
            ty += f.bf.lineSpacing()
        if r.mode_lines:
            p.setFont(f.small)
            bw, bh = _badge_size(f, r.mode_lines, unit)
            badge = QRectF(x_left + m.pad, ty + 0.8 * unit, bw, bh)
            bpath = QPainterPath()
            radius = min(bh / 2, f.sf.lineSpacing())
            bpath.addRoundedRect(badge, radius, radius)
            p.fillPath(bpath, QColor(ink))
            p.setPen(QColor("#FFFFFF"))
            p.drawText(badge, Qt.AlignmentFlag.AlignCenter, "\n".join(r.mode_lines))
        mid = y + h / 2
        p.setPen(line)
        p.drawLine(QPointF(x_left + m.left_w, mid), QPointF(x_right, mid))
        cbox = QRectF(x_right, y, right_w, h)
        p.setPen(QPen(QColor("#888888"), max(1.0, 0.25 * unit)))
        p.setBrush(QColor("#FFFFFF"))
        p.drawRect(cbox)
        p.setBrush(Qt.BrushStyle.NoBrush)
        cy = y + m.pad
        for kind, text in r.right:
            lh = _line_h(f, kind, unit)
            if kind != "gap":
                p.setFont(f.body if kind == "body" else f.small)
                p.setPen(QColor("#111111" if kind == "body" else "#444444"))
                p.drawText(QRectF(x_right + m.pad, cy, right_w - 2 * m.pad, lh), text, opt)
            cy += lh
        if i + 1 < len(part) or more:
            _arrow(p, x_left + m.left_w / 2, y + h, y + h + m.gap, unit)
        y += h + m.gap
    return _part_height(part, m, f, bool(title), more)


def _stage_text(s: dict, i: int) -> str:
    details = "，".join(x for x in (s.get("time"), s.get("mode")) if x)
    text = _stage_name(i, s) + (f"（{details}）" if details else "")
    if s.get("content"):
        text += "：" + s["content"].replace("\n", " ")
    if s.get("tools"):
        text += f"；平台工具：{s['tools']}"
    return text + "。" if not text.endswith(("。", "！", "？")) else text


@dataclass(frozen=True)
class FlowchartPart:
    png: bytes
    width_mm: float
    height_mm: float
    stages: tuple[int, ...]  # positions of the stages drawn in this part, whole or continued
    alt_text: str


def flowchart_parts(stages: list[dict], width_mm: float, max_height_mm: float | None,
                    dpi: int = 170) -> list[FlowchartPart]:
    """The flowchart as PNG pictures width_mm wide, each at most max_height_mm tall: every stage and every
    character, continued in the next picture (titled "研修流程图示（续）") where one page cannot hold it."""
    ensure_gui_app()
    unit = dpi / 25.4
    width = round(width_mm * unit)
    m = Metrics(width, unit)
    f = _Fonts(unit)
    parts = _parts(stages, m, f, None if max_height_mm is None else max_height_mm * unit)
    out = []
    for k, part in enumerate(parts):
        more = k + 1 < len(parts)
        title = PART_TITLE + (CONTINUED if k else "")
        height = round(_part_height(part, m, f, True, more))
        image = QImage(width, max(1, height), QImage.Format.Format_RGB32)
        image.fill(QColor("#FFFFFF"))
        painter = QPainter(image)
        try:
            _paint_part(painter, part, m, f, title, more)
        finally:
            painter.end()
        indices = tuple(dict.fromkeys(piece.index for piece in part))
        alt = title + "：" + "".join(_stage_text(stages[i], i) for i in indices)
        out.append(FlowchartPart(encode_png(image, dpi), width_mm, height / unit, indices, alt))
    return out


def flowchart_png(stages: list[dict], width_mm: float, dpi: int = 170) -> tuple[bytes, float]:
    """The whole flowchart as one PNG width_mm wide (as the preview shows it); returns (png, height_mm)."""
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
    """PNG bytes from Qt's own encoder, carrying the resolution the picture was drawn at. Quality 80 is a light
    zlib level (Qt maps a PNG's quality to compression): 2× faster than the default and no larger for flat
    drawings."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImageWriter

    dots_per_metre = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buf, b"png")
    writer.setQuality(80)
    if not writer.write(image):
        raise RuntimeError(f"Qt could not encode the flowchart as PNG: {writer.errorString()}")
    buf.close()
    return bytes(data.data())


def document_parts(stages: list[dict]) -> tuple[FlowchartPart, ...]:
    """The plan's flowchart as the document embeds it, in page-sized parts. A pure function of the stages,
    memoized: the wizard draws it shortly after the teacher stops editing stages, so the export finds it ready."""
    return _document_parts(tuple(tuple(sorted(s.items())) for s in stages))


@lru_cache(maxsize=8)
def _document_parts(key: tuple) -> tuple[FlowchartPart, ...]:
    from app.render.layout import DIAGRAM_MAX_HEIGHT_MM, DIAGRAM_WIDTH_MM

    return tuple(flowchart_parts([dict(s) for s in key], DIAGRAM_WIDTH_MM, DIAGRAM_MAX_HEIGHT_MM))
