"""The form definitions say exactly what the notice says, and a malformed definition fails loudly."""

import re
import shutil

import pytest

from app.core.defdata import DefinitionError
from app.core.forms import KINDS, load_all, load_form
from app.core.platform import load_platform
from tests.conftest import IN_CI, ROOT, SHARED

# Transcribed by hand from ../shared/spec/FORMS.md and the notice: label, 字数 limit, documents.
SCHOOL = {
    "theme": ("研修主题", 30, ("info", "plan", "report")),
    "keywords": ("案例关键词", None, ("info",)),
    "authors": ("作者信息（排序填写，最多3人）", None, ("info",)),
    "subject": ("科目", None, ("info",)),
    "stages": ("学段", None, ("info",)),
    "grades": ("年级", None, ("info",)),
    "content_basis": ("课程内容依据", 200, ("info",)),
    "summary": ("案例概述", 300, ("info",)),
    "needs": ("需求分析", 300, ("plan",)),
    "goals": ("研修目标", 300, ("plan", "report")),
    "process": ("研修模式与流程", 800, ("plan",)),
    "resources": ("数字资源清单", None, ("plan",)),
    "tools": ("主要工具功能", None, ("plan",)),
    "outcomes": ("预期成果", 200, ("plan",)),
    "evaluation": ("考核评价", 300, ("plan",)),
    "innovation": ("特色创新", 300, ("plan",)),
    "participants": ("参与教师", None, ("report",)),
    "duration": ("持续时间", None, ("report",)),
    "report_stats": ("相关统计", None, ("report",)),
    "report_process": ("过程与举措", None, ("report",)),
    "report_results": ("成果与成效", None, ("report",)),
    "report_experience": ("经验与创新", None, ("report",)),
    "report_improvement": ("持续改进计划", None, ("report",)),
}
STUDIO = {
    "theme": ("研修主题", 30, ("info", "plan", "report")),
    "keywords": ("案例关键词", None, ("info",)),
    "studio_name": ("工作室名称", 40, ("info",)),
    "authors": ("作者信息（排序填写，最多3人）", None, ("info",)),
    "field_area": ("研修学科领域", 30, ("info",)),
    "summary": ("案例概述", 400, ("info",)),
    "needs": ("需求分析", 300, ("plan",)),
    "goals": ("研修目标", 300, ("plan", "report")),
    "process": ("研修模式与流程", 800, ("plan",)),
    "resources": ("数字资源清单", None, ("plan",)),
    "tools": ("国家中小学智慧教育平台线上工作室工具功能", None, ("plan",)),
    "outcomes": ("预期成果", 200, ("plan",)),
    "evaluation": ("考核评价", 300, ("plan",)),
    "innovation": ("特色与创新", 200, ("plan",)),
    "participants": ("参与教师", None, ("report",)),
    "duration": ("持续时间", None, ("report",)),
    "report_stats": ("相关统计", None, ("report",)),
    "report_process": ("过程与举措", None, ("report",)),
    "report_results": ("成果与成效", None, ("report",)),
    "report_experience": ("经验与创新", None, ("report",)),
    "report_improvement": ("持续改进计划", None, ("report",)),
}
SCHOOL_TOOLS = [
    ("教研群", ["信息统计", "问卷调查", "通知", "研修活动", "群共享"]),
    ("备授课", ["资源库", "习题库", "H5播放器授课", "全屏授课", "授课模式"]),
    ("管理工具", ["通知、打卡", "请假工具", "课程表", "校历", "问卷调查", "学生评价", "成绩管理"]),
]
STUDIO_TOOLS = [
    ("名师工作室管理（面向主持人及管理员权限）", ["基本信息管理", "发布管理", "资源管理", "直播管理", "运营管理", "用户管理"]),
    ("名师工作室群组工具（面向工作室所有成员权限）", ["通知", "发布", "视频教研", "研修活动", "问卷调查", "文件共享", "人员定位", "接龙"]),
]


@pytest.mark.parametrize("key,expected", [("school", SCHOOL), ("studio", STUDIO)])
def test_labels_limits_and_documents_match_the_notice(key, expected):
    form = load_form(key)
    for fkey, (label, limit, docs) in expected.items():
        f = form.field(fkey)
        assert (f.label, f.limit, f.documents) == (label, limit, docs), fkey


@pytest.mark.parametrize("key,title", [("school", "校本研修案例"), ("studio", "名师名校长线上工作室研修案例")])
def test_form_titles_and_report_limit(key, title):
    form = load_form(key)
    assert form.title == title
    assert form.document("report").limit == 2000
    assert (form.materials.max_files, form.materials.max_total_mb) == (5, 100)
    assert form.field("keywords").max_items == 4
    assert (form.field("authors").min_items, form.field("authors").max_items) == (1, 3)
    assert [c.label for c in form.field("authors").columns] == ["姓名", "工作单位", "职称/职务", "手机"]
    assert [c.label for c in form.field("resources").columns] == ["资源名称", "所属频道"]
    assert form.field("evaluation").sum == 100


def test_fixed_texts_verbatim():
    for form in load_all().values():
        assert form.fixed["declaration"] == "我(们)在此申明：该案例是我(们)原创，不涉及抄袭或侵犯他人著作权等问题。"
        assert form.fixed["share_notice"] == ("共享提示：同意将案例结集出版或在主办单位教师活动网站共享；"
                                              "同意将案例推荐给国家智慧教育公共服务平台（www.smartedu.cn）。")
    assert load_form("school").fixed["unit_opinion_title"] == "第一作者所在单位意见"
    assert load_form("studio").fixed["unit_opinion_title"] == "工作室主持人所在单位意见"


def test_tool_checklists_exactly_as_the_notice_lists_them():
    tools = load_platform().tools
    assert [(c.name, list(c.items)) for c in tools["school"].categories] == SCHOOL_TOOLS
    assert [(c.name, list(c.items)) for c in tools["studio"].categories] == STUDIO_TOOLS
    assert tools["school"].columns == ("类别", "具体", "是否应用（填写是，否则为空）")
    assert load_form("school").field("tools_other").label == "其他"
    assert not load_form("studio").has_field("tools_other")


def test_report_sections_follow_the_notice():
    from app.core.forms import section_heading

    for form in load_all().values():
        doc = form.document("report")
        titles = [section_heading(i, s.title or form.field(s.items[0].heading).label) for i, s in enumerate(doc.sections)]
        assert titles == ["一、研修概况", "二、过程与举措", "三、成果与成效", "四、经验与创新", "五、持续改进计划"]
        overview = [form.field(i.heading).label for i in doc.sections[0].items]
        assert overview == ["研修主题", "研修目标", "参与教师", "持续时间", "相关统计"]


def test_every_field_is_on_a_page_and_every_page_has_fields():
    for form in load_all().values():
        pages = {p.key for p in form.pages}
        assert all(f.page in pages for f in form.fields)
        assert all(form.fields_on_page(p) for p in pages)
        assert all(f.kind in KINDS for f in form.fields)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_labels_and_hints_are_quoted_from_the_notice():
    notice_dir = SHARED / "notice"
    if not notice_dir.exists():
        if IN_CI:
            pytest.fail("CI must have ../shared/notice beside the clone")
        pytest.skip("the notice is not beside this checkout")
    notice = _squash("".join(p.read_text(encoding="utf-8") for p in notice_dir.glob("*.txt")))
    # Aids the notice does not name (the cascade's 课程内容, the stage list behind the diagram, the weights and
    # livestream figures the checks need) carry our own labels; hints of the structured inputs are our own too.
    own_labels = {"content_items", "process_stages", "studio_stats"}
    own_hints = own_labels | {"tools_other", "authors", "resources", "tools", "studio_name", "field_area"}
    for form in load_all().values():
        for f in form.fields:
            if f.key not in own_labels:
                assert _squash(f.label) in notice, f.label
            if f.key in own_hints or not f.hint:
                continue
            for sentence in re.split(r"[。\n]", f.hint):
                assert _squash(sentence) in notice, (form.key, f.key, sentence)
        # The notice's named parts: goals and dimensions with their notes, the counts of 相关统计.
        for key in ("goals", "evaluation", "report_stats"):
            for p in form.field(key).parts:
                if p.kind == "number" and key == "evaluation" or p.key == "notes":
                    continue  # the weights' own inputs and the free text are ours
                assert _squash(p.label) in notice, (form.key, key, p.label)
                if key != "report_stats":
                    assert _squash(p.label + p.hint) in notice or _squash(f"{p.label}：{p.hint}") in notice, p.hint
        for where, source in _all_sources(form):
            if source.is_notice:  # quoted exactly; "……" may elide a passage, the pieces in the notice's order
                pieces = [_squash(piece) for piece in source.text.split("……")]
                pattern = ".*?".join(re.escape(piece) for piece in pieces)
                assert re.search(pattern, notice), (form.key, where, source.text)


def _all_sources(form):
    """Every limit and rule a definition sets, with its source."""
    from app.core.forms import FIELD_RULES

    for f in form.fields:
        for name in FIELD_RULES:
            if getattr(f, name) not in (None, False, "", 0):
                yield f"{f.key}.{name}", f.source(name)
        for c in f.columns:
            if c.limit:
                yield f"{f.key}.{c.key}.limit", c.limit_source
        for p in f.parts:
            for name in ("min", "max"):
                if getattr(p, name) is not None:
                    yield f"{f.key}.{p.key}.{name}", p.source(name)
    for d in form.documents:
        if d.limit:
            yield f"documents.{d.key}.limit", d.limit_source
    m = form.materials
    for name in ("min_files", "max_files", "max_total_mb"):
        yield f"materials.{name}", m.source(name)


def test_every_limit_and_rule_names_its_source():
    """The notice's rules quote its words; ours give a reason. Nothing is set without one."""
    for form in load_all().values():
        seen = list(_all_sources(form))
        assert len(seen) > 40
        for where, source in seen:
            assert source is not None and source.text.strip(), where
            assert source.origin in ("notice", "ours"), where
    school = load_form("school")
    assert school.field("summary").source("limit").is_notice
    assert not school.field("content_basis").source("limit").is_notice
    assert not school.field("authors").column("unit").limit_source.is_notice
    assert school.field("authors").column("unit").limit_source.text == "表格中超过40字会换行"
    assert school.materials.min_files == 1 and "须提交" in school.materials.source("min_files").text
    studio = load_form("studio")
    assert studio.field("studio_stats").part("viewers").source("min").text == "观看直播人数不少于 200 人"
    # "原则上" (in principle): the notice's, but a reminder
    period = studio.field("studio_stats").source("min_period_months")
    assert period.is_notice and not period.blocks


def test_the_notices_parts_are_fields():
    school, studio = load_form("school"), load_form("studio")
    assert [p.label for p in school.field("goals").text_parts] == ["教师发展目标", "教学改进目标", "学生成长目标"]
    goals = studio.field("goals").text_parts
    assert [p.label for p in goals] == ["教师发展目标", "教学改进目标", "学生成长目标", "办学治校目标"]
    assert [p.required for p in goals] == [True, True, True, False] and "名校长工作室可选填" in goals[3].hint
    for form in (school, studio):
        ev = form.field("evaluation")
        assert [(p.label, ev.part(p.weight).unit) for p in ev.text_parts] == [
            ("过程评价", "%"), ("成果评价", "%"), ("效能评价", "%")]
        assert ev.sum == 100 and not form.has_field("weights")
    assert [(p.label, p.unit) for p in school.field("report_stats").parts if p.kind == "number"] == [
        ("专题讲座", "场"), ("课例研讨", "次"), ("交流展示", "次"), ("课题论文", "篇"), ("国家中小学智慧教育平台选用资源", "个")]
    studio_counts = [p.label for p in studio.field("report_stats").parts if p.kind == "number"]
    assert studio_counts == ["专题讲座", "课例研讨", "交流展示", "课题论文", "帮扶教师学校", "国家中小学智慧教育平台选用资源",
                             "资源观看量", "粉丝增长数", "工作室贡献值"]
    assert studio.field("studio_stats").part("livestreams").label == "工作室直播场次"  # 工作室直播 is counted there


# ---------------------------------------------------------------- malformed definitions

def _broken(tmp_path, edit):
    shutil.copy(ROOT / "pack.toml", tmp_path / "pack.toml")  # a definition is read within its pack
    tmp_path = tmp_path / "forms"
    tmp_path.mkdir()
    shutil.copy(ROOT / "forms" / "school.toml", tmp_path / "school.toml")
    p = tmp_path / "school.toml"
    p.write_text(edit(p.read_text(encoding="utf-8")), encoding="utf-8")
    load_form.cache_clear()
    try:
        return load_form("school", tmp_path)
    finally:
        load_form.cache_clear()


@pytest.mark.parametrize("edit,key,problem", [
    (lambda s: s.replace('kind = "tags"', 'kind = "slider"', 1), "fields.keywords.kind", "字段类型“slider”无效"),
    (lambda s: s.replace('key = "needs"', 'key = "summary"', 1), "fields.summary", "key 重复"),
    (lambda s: s.replace("limit = 300", "limit = 0", 1), "fields.summary.limit", "大于 0"),
    (lambda s: s.replace("limit = 300", "limit = -5", 1), "fields.summary.limit", "大于 0"),
    (lambda s: s.replace('label = "案例概述"\n', "", 1), "fields.summary.label", "缺少"),
    (lambda s: s.replace('label = "案例概述"', 'label = ""', 1), "fields.summary.label", "不能为空"),
    (lambda s: s.replace("limit = 300", "lmit = 300", 1), "fields.summary.lmit", "不是可用的键"),
    (lambda s: s.replace('page = "info"', 'page = "nowhere"', 1), "fields.theme.page", "没有 key 为“nowhere”的页面"),
    (lambda s: s.replace('"summary"]', '"summry"]', 1), "documents.info.rows[7]", "没有 key 为“summry”的字段"),
    (lambda s: s.replace("{total}", "{totl}", 1), "fields.participants.sentence", "没有 key 为“totl”的 part"),
    (lambda s: s.replace('options_from = "curriculum.subjects"', 'options_from = "curriculum.subjetcs"', 1),
     "fields.subject.options_from", "选项来源“curriculum.subjetcs”无效"),
    (lambda s: s.replace('limit_source = { source = "notice", words = "不超过 300字" }\n', "", 1),
     "fields.summary.limit_source", "缺少：请写明 limit = 300 的出处"),
    (lambda s: s.replace('{ source = "notice", words = "不超过 300字" }', '{ source = "notice" }', 1),
     "fields.summary.limit_source.words", "缺少"),
    (lambda s: s.replace('{ source = "notice", words = "不超过 300字" }', '{ source = "rumour", words = "x" }', 1),
     "fields.summary.limit_source.source", "出处“rumour”无效"),
    (lambda s: s.replace('limit = 300\n', "", 1), "fields.summary.limit_source", "没有设置 limit"),
    (lambda s: s.replace('reason = "表格中超过40字会换行"', 'reason = ""', 1),
     "fields.authors.columns[1].limit_source.reason", "不能为空"),
    (lambda s: s.replace('weight = "process_weight"', 'weight = "process_wieght"', 1),
     "fields.evaluation.parts.process.weight", "数字（number）part 的 key"),
    # the mutation run's survivors (docs/testing.md): each complaint keeps its key and its words
    (lambda s: s.replace('file_stem = "实施方案"\n', "", 1), "documents.plan.file_stem", "缺少这一项"),
    (lambda s: s.replace('total = "total"', 'total = "totl"', 1), "fields.participants.total", "没有 key 为“totl”的 part"),
    (lambda s: s.replace("min = 0, max = 100", "min = 100, max = 0", 1),
     "fields.evaluation.parts[1].min", "不能大于 max"),
    (lambda s: s.replace('other_formats = "Word"', 'other_formats = "Word"\ndue = "九月底"', 1),
     "submission.due", "应为日期，如 2025-04-20"),
])
def test_malformed_definition_fails_naming_file_and_key(tmp_path, edit, key, problem):
    with pytest.raises(DefinitionError) as err:
        _broken(tmp_path, edit)
    assert err.value.key == key
    assert problem in err.value.problem
    assert "school.toml" in str(err.value)


def test_a_form_definition_of_another_version_is_refused(tmp_path):
    with pytest.raises(DefinitionError) as err:
        _broken(tmp_path, lambda s: s.replace("version = 1", "version = 2", 1))
    assert (err.value.key, err.value.problem) == ("version", "本软件只能读取 version = 1 的表单定义，请改为 1 或升级软件")


def test_toml_level_duplicate_key_names_the_file(tmp_path):
    with pytest.raises(DefinitionError) as err:
        _broken(tmp_path, lambda s: s.replace('title = "校本研修案例"', 'title = "校本研修案例"\ntitle = "x"', 1))
    assert "school.toml" in str(err.value) and err.value.key == "(syntax)"


def test_definitions_are_immutable():
    form = load_form("school")
    with pytest.raises(AttributeError):
        form.field("theme").limit = 99  # type: ignore[misc]
