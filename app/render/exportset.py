"""One export (the three Word files, optionally their PDFs and the print packet) as one all-or-nothing set in a folder
the app owns only as far as its manifest says."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from app.core.model import Case
from app.core.oserrors import explain
from app.render.outset import UNCHANGED_NOTE, EditedSinceExport, OutputSetError, StagedSet
from app.render.pdf.base import ConversionError

UNSAVED_SET = "未保存的案例"


def set_id_for(case_path: Path | None) -> str:
    """Sets are told apart by the case file they come from, so two cases can share one export folder."""
    if case_path is None:
        return UNSAVED_SET
    try:
        return str(Path(case_path).resolve())
    except OSError:
        return str(Path(case_path).absolute())


@dataclass
class ExportResult:
    files: list[Path]
    notes: list[str] = field(default_factory=list)
    pages: dict[str, int] = field(default_factory=dict)
    pdf: object | None = None  # PdfExport, with paths translated to the final folder


def pdf_names(docx_names: list[str], theme: str, packet: bool) -> list[str]:
    from app.render.docx_render import safe_filename

    names = [Path(n).with_suffix(".pdf").name for n in docx_names]
    if packet:
        names.append(safe_filename("打印包", theme) + ".pdf")
    return names


@contextmanager
def nothing_written_on_failure(out_dir: Path):
    """Around a staged set: a failure inside it is said as "nothing was written", which StagedSet makes true (an
    edited file is re-raised as it is: the caller asks, GUI, or names the files and refuses, CLI)."""
    from app.render.docx_render import RenderError

    try:
        yield
    except EditedSinceExport:
        raise
    except ConversionError as exc:
        raise ConversionError(f"{exc}本次没有写入任何文件，{UNCHANGED_NOTE}") from exc
    except OutputSetError as exc:
        raise RenderError(str(exc)) from exc
    except OSError as exc:
        raise RenderError(f"写入“{out_dir}”失败：{explain(exc)}。本次没有写入任何文件，{UNCHANGED_NOTE}") from exc


def export_set(case: Case, out_dir: Path, *, set_id: str = UNSAVED_SET, converter=None, pdf: bool = False,
               packet: bool = False, packet_all: bool = True, policy: str = "refuse",
               fangsong_for_gb2312: bool = True, progress=None) -> ExportResult:
    """Render, stage, convert and commit; any failure leaves the folder exactly as it was and says so."""
    from app.render.context import version_code
    from app.render.docx_render import check_locks, render_case

    rendered = render_case(case)
    code = version_code(case)
    names = [r.filename for r in rendered]
    check_locks(Path(out_dir), names)
    with nothing_written_on_failure(out_dir):
        with StagedSet(Path(out_dir), set_id, code, kind="pdf" if pdf else "docx", policy=policy) as stage:
            stage.expect(names + (pdf_names(names, case.name_text, packet) if pdf else []))
            docx = [stage.write_bytes(r.filename, r.data) for r in rendered]
            result = ExportResult([])
            pdf_result = None
            if pdf and converter is not None:
                from app.render.pdf.export import export_pdfs

                pdf_result = export_pdfs(case, docx, stage.dir, converter, packet=packet, packet_all=packet_all,
                                         fangsong_for_gb2312=fangsong_for_gb2312, progress=progress)
                for p in pdf_result.pdfs + ([pdf_result.packet] if pdf_result.packet else []):
                    stage.path(p.name)  # already written into the staging folder; registered as part of the set
                result.pages = dict(pdf_result.pages)
                result.notes += [n.message for n in pdf_result.font_notes] + pdf_result.warnings
            result.files = stage.commit()
            result.notes += stage.notes
            if pdf_result is not None:
                pdf_result.pdfs = [stage.final(p.name) for p in pdf_result.pdfs]
                if pdf_result.packet is not None:
                    pdf_result.packet = stage.final(pdf_result.packet.name)
                result.pdf = pdf_result
            return result
