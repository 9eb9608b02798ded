"""Chinese sans-serif families in order of preference, for the flowchart drawing and the app's own text."""

from __future__ import annotations

# Simplified Chinese faces first: a pan-CJK fallback chosen by a non-Chinese system locale would draw Japanese
# glyph forms (Noto Sans CJK JP is the first face of its collection).
CJK_FAMILIES = ("Microsoft YaHei", "微软雅黑", "SimHei", "黑体", "PingFang SC", "Noto Sans CJK SC", "Noto Sans SC",
                "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Droid Sans Fallback")
