"""Importing filled official forms: each fixture, built as Word and WPS users fill the forms, gives the expected
case, and every piece of text that belongs to no field is reported."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from app.core.importer import ImportFailed, UnreadableFile, format_report, import_documents
from tests import docx_forms as B
from tests.conftest import run_cli

SUBJECTS = [["道德与法治", "语文", "数学", "外语", "历史", "地理"], ["科学", "物理", "化学", "生物学", "信息科技", "体育与健康"],
            ["艺术", "劳动", "综合实践活动"]]
STAGES = [["第一学段（1-2 年级）", "第二学段（3-4年级）"], ["第三学段（5-6 年级）", "第四学段（7-9年级）"]]
GRADES = [[f"{i}年级" for i in range(1, 7)], [f"{i}年级" for i in range(7, 10)]]

THEME = "小学语文整本书阅读的教学能力培养"
SUMMARY = ["针对教师整本书阅读指导能力不足的问题，学校开展为期12周的校本研修。", "研修形成课例6个，教师指导能力明显提升。"]


def school_info(path, *, subject_box, stage_box, grade_box, notes=True, summary_below=False, stray=False):
    """附件1's 案例信息表: a 5-column grid, label cells on the left, 作者信息 merged down over its rows."""
    n = (lambda text: [B.note(text)]) if notes else (lambda text: [])
    rows = [
        B.label_row("研修主题", *n("以“课程内容+问题导向”形式呈现（如：小学数学图形的位置与运动重难点教学探究、初中语文跨学科学习的教学能力培养），突出学科素养与问题聚焦。"), THEME),
        B.label_row("案例关键词 不超过 4个" if notes else "案例关键词", "整本书阅读、阅读策略；校本研修",
                    *(["不超过 4个"] if notes else [])),  # the form's note, left in the value cell too
        B.row(B.cell("作者信息", "（排序填写，最多 3", "人）", vmerge="restart"), B.cell("姓名"), B.cell("工作单位"),
              B.cell("职称/职务"), B.cell("手机")),
        B.row(B.cell(vmerge="continue"), B.cell("张丽"), B.cell("南京市鼓楼区第一中心小学"), B.cell("高级教师"),
              B.cell("13912345678")),
        B.row(B.cell(vmerge="continue"), B.cell(), B.cell(), B.cell(), B.cell()),  # an optional row left empty
        B.row(B.cell(vmerge="continue"), B.cell("王强"), B.cell("南京市鼓楼区第一中心小学"), B.cell(""),
              B.cell("13887654321")),
        B.label_row("科目", *[B.options({"语文"}, line, subject_box) for line in SUBJECTS], *n("原则上选一个科目")),
        B.label_row("学段", *[B.options({"第二学段（3-4年级）", "第三学段（5-6 年级）"}, line, stage_box) for line in STAGES],
                    *n("根据课程内容和研修活动实施情况，可选多个学段")),
        B.label_row("年级", *[B.options({"4年级", "5年级"}, line, grade_box) for line in GRADES],
                    *n("根据课程内容和研修活动实施情况，可选多个年级")),
        B.label_row("课程内容依据", *n("参照相应科目的 2022年版课程标准中课程内容章节，填写与研修科目、学段、年级相适应的课程内容。"),
                    "《义务教育语文课程标准（2022年版）》“整本书阅读”学习任务群。"),
    ]
    if summary_below:
        rows += [B.row(B.cell("案例概述", span=5)), B.row(B.cell(*SUMMARY, span=5))]
    else:
        rows.append(B.label_row("案例概述", *n("概述研修基本情况、成果与成效、智慧平台支撑等。不超过 300字。"), *SUMMARY))
    if stray:
        rows.append(B.row(B.cell("补充说明：研修照片另附", span=5)))
    rows += [
        B.label_row("作者声明", "我(们)在此申明：该案例是我(们)原创，不涉及抄袭或侵犯他人著作权等问题。", "作者签名：", "日期:"),
        B.label_row("第一作者所在单位意见", "单位意见：", "单位名称（公章）：", "年 月 日"),
    ]
    return B.build(path, B.para("附件1："), B.note("填写均为 5号，宋体"), B.table(5, *rows),
                   B.para("共享提示：同意将案例结集出版或在主办单位教师活动网站共享；同意将案例推荐给国家智慧教育公共服务平台（www.smartedu.cn）。"))


EXPECTED_INFO = {
    "theme": THEME,
    "keywords": ["整本书阅读", "阅读策略", "校本研修"],
    "authors": [{"name": "张丽", "unit": "南京市鼓楼区第一中心小学", "title": "高级教师", "phone": "13912345678"},
                {"name": "王强", "unit": "南京市鼓楼区第一中心小学", "title": "", "phone": "13887654321"}],
    "subject": ["语文"],
    "stages": ["第二学段（3-4年级）", "第三学段（5-6年级）"],
    "grades": ["4年级", "5年级"],
    "content_basis": "《义务教育语文课程标准（2022年版）》“整本书阅读”学习任务群。",
    "summary": "\n".join(SUMMARY),
}


def _check(result, expected: dict) -> None:
    for key, value in expected.items():
        assert result.case.get(key) == value, key


@pytest.mark.parametrize("boxes", [
    (B.typed("☑"), B.wingdings2, B.sdt_box),
    (B.form_box, B.wingdings, B.typed("■")),
    (B.typed("√"), B.typed("✓"), B.typed("☒")),
    (B.typed("▣"), B.sdt_box, B.form_box),
    (B.font_letter, B.typed("✔"), B.wingdings2),
], ids=["typed-wingdings2-sdt", "formcheckbox-wingdings-square", "ticks", "mixed", "wps-font-letters"])
@pytest.mark.parametrize("notes", [True, False], ids=["with-notes", "notes-deleted"])
def test_filled_info_sheet_imports_by_label_through_merged_cells(tmp_path, boxes, notes):
    path = school_info(tmp_path / "信息表.docx", subject_box=boxes[0], stage_box=boxes[1], grade_box=boxes[2],
                       notes=notes)
    before = path.read_bytes()
    result = import_documents([path])
    assert result.case_type == "school" and result.documents[0].kind == "info"
    _check(result, EXPECTED_INFO)
    assert result.unplaced == []
    assert path.read_bytes() == before  # the source is never modified


def test_value_in_the_row_below_a_full_width_label_and_stray_text_reported(tmp_path):
    path = school_info(tmp_path / "信息表.docx", subject_box=B.typed(), stage_box=B.typed(), grade_box=B.typed(),
                       summary_below=True, stray=True)
    result = import_documents([path])
    _check(result, EXPECTED_INFO)
    assert [u.text for u in result.unplaced] == ["补充说明：研修照片另附"]
    assert "补充说明：研修照片另附" in format_report(result)


def test_tick_typed_after_the_option_and_unknown_options_reported(tmp_path):
    subject = B.para(B.t("□道德与法治 □语文√ □数学 ☑书法"))
    rows = [B.label_row("研修主题", THEME, cols=2), B.label_row("科目", subject, cols=2)]
    path = B.build(tmp_path / "a.docx", B.para("校本研修案例信息表"), B.table(2, *rows))
    result = import_documents([path])
    assert result.case.get("subject") == ["语文"]
    assert [(u.text, "没有的选项" in u.reason) for u in result.unplaced] == [("书法", True)]


def school_plan(path, *, hints=True, second_theme=False):
    """附件1's 实施方案: the notice's instructions left in the cells (or deleted), 平台支撑 merged down over the
    resource and tool tables, the tool table's 类别 merged over its rows."""
    h = (lambda *text: list(text)) if hints else (lambda *text: [])
    rows = [
        B.label_row("研修主题", *h("以“课程内容+问题导向”形式呈现（如：小学数学图形的位置与运动重难点教学研究、初中语文跨学科学习的教学能力培养），突出学科素养与问题聚焦。不超过 30 字。"), THEME, cols=4),
        B.label_row("需求分析", *h("包括现实需求：基于课标要求的课程内容，通过问卷调查、课堂观察、交流研讨等发现的教师学科素养具体问题。价值分析：说明解决该问题对教师专业发展和教学质量提升的促进作用。不超过 300 字。"),
                    "现实需求：问卷显示68%的教师缺少整本书阅读的指导方法。", "价值分析：提升教师阅读指导能力。", cols=4),
        B.label_row("研修目标",
                    "1.教师发展目标（围绕学科素养的专业理念、专业知识、专业能力提升等维度）：通过12周的研修，90%的教师能设计阅读任务单。",
                    "2.教学改进目标（课堂教学实践维度）：每位教师本学期上1节阅读推进课。",
                    "3.学生成长目标（学生学习效果维度）：学期末80%的学生读完2本书。",
                    "能说出每本书的主要人物。",
                    *h("要求具体、可测、可实现、相关性、时限性，例如：通过 3个月的研修，90%的教师能独立设计跨学科学习任务。", "不超过 300 字"), cols=4),
        B.row(B.cell("研修模式", "与流程"), B.cell(*h("阐述并用图示化方式表达研修内容、研修方式、计划安排等一体化研修活动设计。不超过 800 字。"),
                                               "采用线上研学与线下课例研究结合的方式。", "分三个阶段实施。", span=3)),
        B.row(B.cell("平台支撑", vmerge="restart"), B.cell("使用的国家中小学智慧教育平台资源和工具。", span=3)),
        B.row(B.cell(vmerge="continue"), B.cell("1.数字资源清单，列出资源名称（具体到资源实体名称）和所属频道，例如：", span=3)),
        B.row(B.cell(vmerge="continue"), B.cell("资源名称", span=2), B.cell("所属频道")),
        B.row(B.cell(vmerge="continue"), B.cell("义务教育语文课程内容与教学实施", span=2), B.cell("教师研修")),
        B.row(B.cell(vmerge="continue"), B.cell("", span=2), B.cell("")),
        B.row(B.cell(vmerge="continue"), B.cell("……", span=2), B.cell("")),
        B.row(B.cell(vmerge="continue"), B.cell("2.主要工具功能", span=3)),
        B.row(B.cell(vmerge="continue"), B.cell("类别"), B.cell("具体"), B.cell("是否应用（填写是，否", "则为空）")),
        B.row(B.cell(vmerge="continue"), B.cell("教研群", vmerge="restart"), B.cell("信息统计"), B.cell("")),
        B.row(B.cell(vmerge="continue"), B.cell(vmerge="continue"), B.cell("通知"), B.cell("是")),
        B.row(B.cell(vmerge="continue"), B.cell(vmerge="continue"), B.cell("群共享"), B.cell("是")),
        B.row(B.cell(vmerge="continue"), B.cell("备授课", vmerge="restart"), B.cell("资源库"), B.cell("是")),
        B.row(B.cell(vmerge="continue"), B.cell(vmerge="continue"), B.cell("全屏授课"), B.cell("")),
        B.row(B.cell(vmerge="continue"), B.cell("管理工具"), B.cell("通知、打卡"), B.cell("是")),
        B.row(B.cell(vmerge="continue"), B.cell("管理工具"), B.cell("云端白板"), B.cell("是")),
        B.row(B.cell(vmerge="continue"), B.cell("其他"), B.cell("区域教研平台"), B.cell("是")),
        B.label_row("预期成果", *h("阐述校本研修成果产出，不超过 200 字。"), "1.显性成果：形成课例6个。", "2.隐性成果：教师指导能力提升20%。", cols=4),
        B.label_row("考核评价", *h("用三维评价进行表述，不超过 300 字。例如："),
                    "1.过程评价：研修考勤、任务完成度（设置30%权重）", "2.成果评价：课例与反思质量（设置40%权重）",
                    "3.效能评价：学生阅读测评提升（设置**%权重）", cols=4),
        B.label_row("特色创新", "“阅读任务单”贯穿研修全过程。", cols=4),
    ]
    if second_theme:
        rows.append(B.label_row("研修主题", "另一个主题", cols=4))
    return B.build(path, B.note("填写均为 5号，宋体"), B.table(4, *rows))


EXPECTED_PLAN = {
    "theme": THEME,
    "needs": "现实需求：问卷显示68%的教师缺少整本书阅读的指导方法。\n价值分析：提升教师阅读指导能力。",
    "goals": {"teacher": "通过12周的研修，90%的教师能设计阅读任务单。", "teaching": "每位教师本学期上1节阅读推进课。",
              "student": "学期末80%的学生读完2本书。\n能说出每本书的主要人物。"},
    "process": "采用线上研学与线下课例研究结合的方式。\n分三个阶段实施。",
    "resources": [{"name": "义务教育语文课程内容与教学实施", "channel": "教师研修"}],
    "tools": {"教研群": ["通知", "群共享"], "备授课": ["资源库"], "管理工具": ["通知、打卡"]},
    "tools_other": "区域教研平台",
    "outcomes": "1.显性成果：形成课例6个。\n2.隐性成果：教师指导能力提升20%。",
    "evaluation": {"process": "研修考勤、任务完成度", "process_weight": 30, "result": "课例与反思质量", "result_weight": 40,
                   "effect": "学生阅读测评提升", "effect_weight": None},
    "innovation": "“阅读任务单”贯穿研修全过程。",
}


@pytest.mark.parametrize("hints", [True, False], ids=["instructions-left-in", "instructions-deleted"])
def test_filled_plan_imports_tables_tools_and_numbered_goals(tmp_path, hints):
    path = school_plan(tmp_path / "实施方案.docx", hints=hints)
    result = import_documents([path])
    assert result.case_type == "school" and result.documents[0].kind == "plan"
    _check(result, EXPECTED_PLAN)
    # the one tool the official table does not list is reported, not dropped
    assert [u.text for u in result.unplaced] == ["管理工具／云端白板／是"]


def test_a_second_value_for_one_field_is_reported(tmp_path):
    result = import_documents([school_plan(tmp_path / "p.docx", second_theme=True)])
    assert result.case.get("theme") == THEME
    second = [u for u in result.unplaced if u.text == "另一个主题"]
    assert second and "第二" in second[0].reason


REPORT = [
    "校本研修总结报告",
    "这是写在标题前的草稿说明。",
    "一、研修概况",
    "1.研修主题：" + THEME,
    "2.研修目标",
    "1.教师发展目标：通过12周的研修，90%的教师能设计阅读任务单。",
    "2.教学改进目标：每位教师本学期上1节阅读推进课。",
    "3.学生成长目标：学期末80%的学生读完2本书。",
    "3.参与教师",
    "共计30人，其中新手教师8人、骨干教师12人，优秀教师6人、领军教师3人，名师1人。",
    "4.持续时间",
    "12周，总学时36",
    "5.相关统计",
    "专题讲座2场、课例研讨10次、课题论文4篇。",
    "教师共读书目12本。",
    "二、过程与举措",
    "一是诊断问题。",
    "二是线上研学。",
    "三、成果与成效",
    "形成课例6个。",
    "四、经验与创新",
    "以任务单串联研修。",
    "五、持续改进计划",
    "推广到其他年级。",
]


def test_plain_report_split_by_its_headings(tmp_path):
    path = B.build(tmp_path / "总结报告.docx", *[B.para(p) for p in REPORT])
    result = import_documents([path])
    assert result.case_type == "school" and result.documents[0].kind == "report"
    _check(result, {
        "theme": THEME,
        "goals": {k: v for k, v in EXPECTED_PLAN["goals"].items() if k != "student"} | {"student": "学期末80%的学生读完2本书。"},
        "participants": {"total": 30, "novice": 8, "backbone": 12, "excellent": 6, "leading": 3, "master": 1, "schools": None},
        "duration": {"weeks": 12, "hours": 36},
        "report_stats": {"lectures": 2, "lessons": 10, "showcases": None, "papers": 4, "resources": None,
                         "notes": "教师共读书目12本。"},
        "report_process": "一是诊断问题。\n二是线上研学。",
        "report_results": "形成课例6个。",
        "report_experience": "以任务单串联研修。",
        "report_improvement": "推广到其他年级。",
    })
    assert [u.text for u in result.unplaced] == ["这是写在标题前的草稿说明。"]


def test_report_with_headings_only_and_the_template_notes(tmp_path):
    heads = ["名师名校长线上工作室研修总结报告", "一级标题，3号，黑体。二级标题，3号，仿宋_GB2312，加粗。正文，3号，仿宋_GB2312。全文不超过 2000字。",
             "一、研修概况", "1.研修主题", "2.研修目标", "3.参与教师", "共计**人，其中覆盖学校数量、省份数量。", "4.持续时间",
             "**周，总学时**", "5.相关统计", "二、过程与举措", "三、成果与成效", "四、经验与创新", "五、持续改进计划"]
    result = import_documents([B.build(tmp_path / "r.docx", *[B.para(p) for p in heads])])
    assert result.case_type == "studio" and result.documents[0].kind == "report"
    assert result.found == [] and result.unplaced == []


def test_info_sheet_plan_and_report_merge_into_one_case(tmp_path):
    info = school_info(tmp_path / "1.docx", subject_box=B.typed(), stage_box=B.typed(), grade_box=B.typed())
    plan = school_plan(tmp_path / "2.docx")
    report = B.build(tmp_path / "3.docx", *[B.para(p) for p in REPORT[2:]])  # no title: typed by the other two
    result = import_documents([report, plan, info])
    assert [d.kind for d in result.documents] == ["info", "plan", "report"]
    _check(result, EXPECTED_INFO | {k: v for k, v in EXPECTED_PLAN.items() if k != "goals"})
    goals_second = [u for u in result.unplaced if "研修目标" in u.reason]
    assert goals_second, "the report's goals differ from the plan's: the second value is shown"


def studio_info(path):
    rows = [
        B.label_row("研修主题", "初中数学建模教学的跨校协同研修", cols=5),
        B.label_row("案例关键词 不超过 4个", "数学建模；协同研修", cols=5),
        B.label_row("工作室名称", "李华初中数学名师工作室", cols=5),
        B.row(B.cell("作者信息（排序填写，最多 3 人）", vmerge="restart"), B.cell("姓名"), B.cell("工作单位"), B.cell("职称/职务"),
              B.cell("手机")),
        B.row(B.cell(vmerge="continue"), B.cell("李华"), B.cell("西安市第一中学"), B.cell("正高级教师"), B.cell("13700000000")),
        B.label_row("研修学科领域", "初中数学", cols=5),
        B.label_row("案例概述", B.note("概述研修基本情况、成果与成效、线上工作室建设及活跃度等，不超过 400字。"), "工作室带领18所学校开展研修。", cols=5),
        B.label_row("作者声明", "我(们)在此申明：该案例是我(们)原创，不涉及抄袭或侵犯他人著作权等问题。", "作者签名：李华", cols=5),
        B.label_row("工作室主持人所在单位意见", "单位意见：同意", cols=5),
    ]
    return B.build(path, B.table(5, *rows))


def test_studio_info_sheet_recognised_from_its_labels(tmp_path):
    result = import_documents([studio_info(tmp_path / "s.docx")])
    assert result.case_type == "studio" and result.documents[0].kind == "info"
    _check(result, {"theme": "初中数学建模教学的跨校协同研修", "keywords": ["数学建模", "协同研修"],
                    "studio_name": "李华初中数学名师工作室", "field_area": "初中数学",
                    "authors": [{"name": "李华", "unit": "西安市第一中学", "title": "正高级教师", "phone": "13700000000"}],
                    "summary": "工作室带领18所学校开展研修。"})
    # her handwriting in the signature rows is not case content, and it is said so
    assert result.unplaced == [] and any("李华" in i or "同意" in i for i in result.ignored)


def test_files_of_both_case_types_are_refused(tmp_path):
    with pytest.raises(ImportFailed, match="两种不同的案例"):
        import_documents([studio_info(tmp_path / "s.docx"), school_plan(tmp_path / "p.docx")])


def test_not_a_word_document_is_refused_in_chinese(tmp_path):
    bad = tmp_path / "照片.docx"
    bad.write_bytes(b"\x89PNG not a document")
    with pytest.raises(UnreadableFile, match="不是"):
        import_documents([bad])


# ---------------------------------------------------------------- the command

def test_cli_writes_the_case_reports_and_never_overwrites(tmp_path):
    info = school_info(tmp_path / "信息表.docx", subject_box=B.typed(), stage_box=B.typed(), grade_box=B.typed(),
                       stray=True)
    out = tmp_path / "case.json"
    r = run_cli("import", str(info), "--out", str(out))
    text = r.stdout.decode("utf-8")
    assert r.returncode == 0, r.stderr.decode()
    assert "研修主题" in text and "补充说明：研修照片另附" in text and "字" in text
    from app.core.casefile import load_case

    assert load_case(out).get("theme") == THEME
    before = out.read_bytes()
    r = run_cli("import", str(info), "--out", str(out))
    assert r.returncode == 1 and "已存在" in r.stderr.decode("utf-8") and out.read_bytes() == before
    r = run_cli("import", str(info), "--out", str(out), "--force")
    assert r.returncode == 0 and out.with_name("case.json.bak").exists()


def test_cli_exits_2_for_a_file_it_cannot_read(tmp_path):
    bad = tmp_path / "a.txt"
    bad.write_text("研修主题", encoding="utf-8")
    out = tmp_path / "c.json"
    r = run_cli("import", str(bad), "--out", str(out))
    assert r.returncode == 2 and "不是Word文档" in r.stderr.decode("utf-8") and not out.exists()


# ---------------------------------------------------------------- LibreOffice: re-saved files and .doc

def _lo_convert(soffice, profile, src, fmt, outdir):
    outdir.mkdir(exist_ok=True)
    work = outdir / ("in" + src.suffix)
    shutil.copyfile(src, work)
    subprocess.run([str(soffice), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", fmt, "--outdir", str(outdir), str(work)], check=True, capture_output=True,
                   timeout=180)
    return outdir / ("in." + fmt.split(":")[0])


def test_forms_resaved_by_libreoffice_and_as_doc_import_the_same(tmp_path, soffice, lo_profile):
    info = school_info(tmp_path / "信息表.docx", subject_box=B.sdt_box, stage_box=B.wingdings2, grade_box=B.form_box)
    plan = school_plan(tmp_path / "实施方案.docx")
    resaved = [_lo_convert(soffice, lo_profile, p, "docx:MS Word 2007 XML", tmp_path / f"lo{i}")
               for i, p in enumerate((info, plan))]
    result = import_documents(resaved)
    _check(result, EXPECTED_INFO | EXPECTED_PLAN)
    doc = _lo_convert(soffice, lo_profile, info, "doc:MS Word 97", tmp_path / "doc")
    before = doc.read_bytes()
    result = import_documents([doc])
    assert result.documents[0].converted
    _check(result, EXPECTED_INFO)
    assert doc.read_bytes() == before and sorted(p.name for p in doc.parent.iterdir()) == ["in.doc", "in.docx"]
    import tempfile

    assert not list(Path(tempfile.gettempdir()).glob("yanxiu-import-*")), "the converted copy of her file is removed"


def test_app_documents_resaved_by_libreoffice_import_to_the_same_case(tmp_path, soffice, lo_profile, example_case):
    """Exported, opened and saved again in an office suite: still the same case, stages and version code included."""
    from app.render.context import version_code
    from app.render.docx_render import export_docx

    paths = export_docx(example_case, tmp_path / "out")
    resaved = [_lo_convert(soffice, lo_profile, p, "docx:MS Word 2007 XML", tmp_path / f"lo{i}")
               for i, p in enumerate(paths)]
    result = import_documents(resaved)
    for f in example_case.form.fields:
        assert result.case.get(f.key) == example_case.get(f.key), f.key
    assert result.unplaced == []
    assert {d.version_code for d in result.documents} == {version_code(example_case)}


def test_label_and_value_in_one_cell_or_paragraph(tmp_path):
    rows = [B.row(B.cell("研修主题：" + THEME, span=2)), B.row(B.cell("案例关键词： 整本书阅读、校本研修", span=2))]
    path = B.build(tmp_path / "a.docx", B.para("校本研修案例信息表"), B.table(2, *rows), B.para("案例概述：" + SUMMARY[0]),
                   B.para("研修主题：另一个主题"))
    result = import_documents([path])
    _check(result, {"theme": THEME, "keywords": ["整本书阅读", "校本研修"], "summary": SUMMARY[0]})
    assert [u.text for u in result.unplaced] == ["研修主题：另一个主题"]


def test_hostile_text_imports_intact(tmp_path):
    """XML specials, template syntax, emoji and 100 000 characters come in as typed; nothing crashes."""
    long = "研" * 100_000
    hostile = "主题<w:t>&amp; {{ theme }} {% if %} 😀 \\x"
    rows = [B.label_row("研修主题", hostile, cols=2), B.label_row("案例概述", long, hostile, cols=2)]
    result = import_documents([B.build(tmp_path / "h.docx", B.para("校本研修案例信息表"), B.table(2, *rows))])
    assert result.case.get("theme") == hostile
    assert result.case.get("summary") == long + "\n" + hostile


def test_copies_filled_by_two_co_authors_merge_and_disagreements_are_shown(tmp_path):
    """Two co-authors each filled part of the info sheet on their own PC."""
    first = B.build(tmp_path / "张丽.docx", B.para("校本研修案例信息表"),
                    B.table(2, B.label_row("研修主题", THEME, cols=2), B.label_row("案例概述", "", cols=2)))
    second = B.build(tmp_path / "王强.docx", B.para("校本研修案例信息表"),
                     B.table(2, B.label_row("研修主题", "别的主题", cols=2), B.label_row("案例概述", SUMMARY[0], cols=2)))
    result = import_documents([first, second])
    _check(result, {"theme": THEME, "summary": SUMMARY[0]})
    assert [(u.source.startswith("王强"), u.text) for u in result.unplaced] == [(True, "别的主题")]


def test_studio_plan_with_tables_inside_the_cell_and_the_fourth_goal(tmp_path):
    tools = B.table(3,
                    B.row(B.cell("类别"), B.cell("具体"), B.cell("是否应用（填写是，否则为空）")),
                    B.row(B.cell("名师工作室管理（面向", "主持人及管理员权限）", vmerge="restart"), B.cell("直播管理"), B.cell("是")),
                    B.row(B.cell(vmerge="continue"), B.cell("用户管理"), B.cell("")),
                    B.row(B.cell("名师工作室群组工具（面向工作室所有成员权限）", vmerge="restart"), B.cell("视频教研"), B.cell("√")),
                    B.row(B.cell(vmerge="continue"), B.cell("接龙"), B.cell("是")))
    resources = B.table(2, B.row(B.cell("资源名称"), B.cell("所属频道")), B.row(B.cell("数学建模专题"), B.cell("教师研修")))
    rows = [
        B.label_row("研修主题", "初中数学建模教学的跨校协同研修", cols=2),
        B.label_row("研修目标", "1.教师发展目标：18周内80%的成员能设计建模任务。", "4.办学治校目标（学校发展转变维度）（名校长工作室可选填）：每所成员校形成1项建模课程。", cols=2),
        B.row(B.cell("平台支撑"), B.cell("使用的国家中小学智慧教育平台资源和工具。", "1.数字资源清单，列出资源名称（具体到资源实体名称）和所属频道，例如：",
                                      resources, "2.国家中小学智慧教育平台线上工作室工具功能", tools, "")),
        B.label_row("特色与创新", "“一室一品”：建模工作坊。", cols=2),
    ]
    result = import_documents([B.build(tmp_path / "方案.docx", B.table(2, *rows))])
    assert result.case_type == "studio" and result.documents[0].kind == "plan"
    _check(result, {
        "goals": {"teacher": "18周内80%的成员能设计建模任务。", "teaching": "", "student": "", "school": "每所成员校形成1项建模课程。"},
        "resources": [{"name": "数学建模专题", "channel": "教师研修"}],
        "tools": {"名师工作室管理（面向主持人及管理员权限）": ["直播管理"], "名师工作室群组工具（面向工作室所有成员权限）": ["视频教研", "接龙"]},
        "innovation": "“一室一品”：建模工作坊。",
    })
    assert result.unplaced == []


def test_studio_report_reads_the_livestream_figures_from_her_sentence(tmp_path):
    lines = ["名师名校长线上工作室研修总结报告", "一、研修概况", "3.参与教师", "共计60人，覆盖学校18所、省份2个。", "5.相关统计",
             "研修周期为2025年3月1日至2025年6月30日，开展工作室直播4场，观看直播1200人，工作室成员出勤率92%。",
             "专题讲座3场、资源观看量5000次。", "二、过程与举措", "线上线下结合。"]
    result = import_documents([B.build(tmp_path / "r.docx", *[B.para(x) for x in lines])])
    _check(result, {
        "participants": {"total": 60, "schools": 18, "provinces": 2},
        "studio_stats": {"start": "2025-03-01", "end": "2025-06-30", "livestreams": 4, "viewers": 1200, "attendance": 92},
        "report_process": "线上线下结合。",
    })
    stats = result.case.get("report_stats")
    assert stats["lectures"] == 3 and stats["views"] == 5000 and stats["notes"] == ""


def test_value_cell_merged_down_with_text_typed_into_its_lower_part(tmp_path):
    """WPS lets a teacher type into the lower part of a vertically merged cell; it is still that cell's text."""
    rows = [
        B.label_row("研修主题", THEME, cols=2),
        B.row(B.cell("案例概述", vmerge="restart"), B.cell(SUMMARY[0], vmerge="restart")),
        B.row(B.cell(vmerge="continue"), B.cell(SUMMARY[1], vmerge="continue")),
    ]
    result = import_documents([B.build(tmp_path / "a.docx", B.para("校本研修案例信息表"), B.table(2, *rows))])
    _check(result, {"theme": THEME, "summary": "\n".join(SUMMARY)})
    assert result.unplaced == []


@pytest.mark.parametrize("depth", [450, 1200])
def test_tables_nested_beyond_reason_are_refused_not_crashed(tmp_path, depth):
    import zipfile

    inner = B.para("研修主题")
    for _ in range(depth):
        inner = B.table(1, B.row(B.cell(inner)))
    plain = B.build(tmp_path / "plain.docx", B.para("校本研修案例信息表"))
    path = tmp_path / "deep.docx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:sectPr", inner.encode() + b"<w:sectPr", 1)
            dst.writestr(item, data)
    try:
        result = import_documents([path])
    except UnreadableFile as exc:  # refused with a message: fine
        assert "嵌套过深" in str(exc) or "不是有效的Word文档" in str(exc)
    else:  # read: fine too, as long as nothing crashed
        assert result.case_type == "school"
