"""Each rule of the notice passes on the examples and fails, with a message naming the field, when broken."""

import pytest

from app.core.model import Material
from app.core.rules import ERROR, WARNING, check_case, has_errors, report_word_count
from tests.conftest import EXAMPLES


def findings(case, field=None, severity=None):
    return [f for f in check_case(case, base_dir=EXAMPLES) if (field is None or f.field == field)
            and (severity is None or f.severity == severity)]


def test_examples_are_clean(example_case):
    assert check_case(example_case, base_dir=EXAMPLES) == []


def test_required_field_missing(school_case):
    school_case.set("needs", "")
    [f] = findings(school_case, "needs")
    assert f.severity == ERROR and f.document == "plan" and "请填写“需求分析”" in f.message


@pytest.mark.parametrize("key,limit", [("summary", 300), ("needs", 300), ("process", 800), ("outcomes", 200),
                                       ("innovation", 300), ("theme", 30)])
def test_every_word_limit(school_case, key, limit):
    school_case.set(key, "研" * limit)
    assert not findings(school_case, key, ERROR)
    school_case.set(key, "研" * (limit + 7))
    [f] = findings(school_case, key, ERROR)
    assert f"共{limit + 7}字，超过{limit}字的限制，请删减7字" in f.message


def test_studio_summary_limit_is_400(studio_case):
    studio_case.set("summary", "研" * 400)
    assert not findings(studio_case, "summary")
    studio_case.set("summary", "研" * 401)
    assert findings(studio_case, "summary", ERROR)


def test_at_most_four_keywords(school_case):
    school_case.set("keywords", ["一", "二", "三", "四"])
    assert not findings(school_case, "keywords")
    school_case.set("keywords", ["一", "二", "三", "四", "五"])
    [f] = findings(school_case, "keywords")
    assert f.severity == ERROR and "最多4项" in f.message


def test_one_to_three_authors(school_case):
    authors = school_case.get("authors")
    school_case.set("authors", authors + [dict(authors[0], name="赵六")])
    assert "最多3项" in findings(school_case, "authors", ERROR)[0].message
    school_case.set("authors", [])
    assert "请填写“作者信息（排序填写，最多3人）”" in findings(school_case, "authors", ERROR)[0].message


@pytest.mark.parametrize("phone,ok", [("13805712345", True), ("1380571234", False), ("23805712345", False),
                                      ("138-0571-2345", False), ("12805712345", False)])
def test_author_mobile_number(school_case, phone, ok):
    authors = school_case.get("authors")
    authors[1]["phone"] = phone
    school_case.set("authors", authors)
    found = findings(school_case, "authors", ERROR)
    assert (not found) == ok
    if not ok:
        assert "第2行的“手机”" in found[0].message and "11位" in found[0].message


def test_author_needs_name_and_unit(school_case):
    authors = school_case.get("authors")
    authors[0]["unit"] = ""
    authors[0]["title"] = ""  # 职称/职务 may stay empty
    school_case.set("authors", authors)
    [f] = findings(school_case, "authors", ERROR)
    assert "第1行缺少“工作单位”" in f.message


def test_exactly_one_subject(school_case):
    school_case.set("subject", ["数学", "科学"])
    [f] = findings(school_case, "subject")
    assert f.severity == WARNING and "原则上选一个科目" in f.message
    school_case.set("subject", [])
    assert findings(school_case, "subject", ERROR)


def test_stages_and_grades_consistent(school_case):
    school_case.set("grades", ["3年级", "4年级", "5年级", "6年级", "7年级"])
    msgs = [f.message for f in findings(school_case, "grades", WARNING)]
    assert any("勾选了“7年级”，但没有勾选它所在的“第四学段（7-9年级）”" in m for m in msgs)
    assert any("适用于3-6年级" in m and "7年级" in m for m in msgs)
    school_case.set("grades", ["3年级", "4年级"])
    [f] = findings(school_case, "stages", WARNING)
    assert "第三学段（5-6年级）" in f.message


def test_chemistry_grade_limits_are_warnings(school_case):
    school_case.set("subject", ["化学"])
    school_case.set("content_items", ["物质的化学变化"])
    school_case.set("stages", ["第四学段（7-9年级）"])
    school_case.set("grades", ["9年级"])
    school_case.set("theme", "初中化学物质的化学变化实验教学探究")
    assert findings(school_case, "grades") == []
    school_case.set("grades", ["8年级", "9年级"])
    [f] = findings(school_case, "grades")
    assert f.severity == WARNING and "化学通常在9年级开设" in f.message
    assert not has_errors(check_case(school_case, base_dir=EXAMPLES))


def test_theme_form_heuristic(school_case):
    school_case.set("theme", "小学数学图形的位置与运动")
    [f] = findings(school_case, "theme")
    assert f.severity == WARNING and "课程内容+问题导向" in f.message
    school_case.set("theme", "教师信息技术应用能力培养")
    [f] = findings(school_case, "theme")
    assert "没有出现科目或课程内容" in f.message


def test_weights_sum_to_100(school_case):
    school_case.set("evaluation", dict(school_case.get("evaluation"), effect_weight=20))
    [f] = findings(school_case, "evaluation")
    assert f.severity == ERROR and "过程评价权重、成果评价权重、效能评价权重之和为90%，应为100%" in f.message
    assert "（通知：“（设置**%权重）”）" in f.message


def test_participant_parts_not_above_total(school_case):
    p = dict(school_case.get("participants"), total=20)
    school_case.set("participants", p)
    [f] = findings(school_case, "participants")
    assert f.severity == ERROR and "（24人）超过了共计人数（20人）" in f.message


def test_report_total_is_counted_over_everything_printed(school_case):
    base = report_word_count(school_case)
    assert 1000 < base <= 2000
    # The 相关统计 has no limit of its own; only the report total catches it.
    extra = 2000 - base + 1
    stats = school_case.get("report_stats")
    school_case.set("report_stats", dict(stats, notes=stats["notes"] + "统" * extra))
    [f] = findings(school_case, severity=ERROR)
    assert f.document == "report" and "全文共2001字" in f.message and "超过2000字" in f.message


def test_report_count_includes_the_participant_sentence(school_case):
    before = report_word_count(school_case)
    p = school_case.get("participants")
    school_case.set("participants", dict(p, schools=3))
    assert report_word_count(school_case) == before + len("参与教师覆盖所学校。") + 1


@pytest.mark.parametrize("part,value,needle", [("livestreams", 0, "工作室直播场次"), ("viewers", 199, "不少于200人"),
                                               ("attendance", 79, "不少于80%")])
def test_studio_livestream_rules(studio_case, part, value, needle):
    stats = studio_case.get("studio_stats")
    studio_case.set("studio_stats", dict(stats, **{part: value}))
    [f] = findings(studio_case, "studio_stats")
    assert f.severity == ERROR and needle in f.message


def test_studio_period_at_least_two_months(studio_case):
    stats = studio_case.get("studio_stats")
    studio_case.set("studio_stats", dict(stats, start="2025-03-03", end="2025-05-03"))
    assert findings(studio_case, "studio_stats") == []
    studio_case.set("studio_stats", dict(stats, start="2025-03-03", end="2025-05-02"))
    [f] = findings(studio_case, "studio_stats")
    assert f.severity == WARNING and "不足2个月" in f.message
    studio_case.set("studio_stats", dict(stats, start="2025-05-03", end="2025-03-03"))
    assert findings(studio_case, "studio_stats", ERROR)


def test_supporting_materials_limits(tmp_path, school_case):
    files = []
    for i in range(6):
        p = tmp_path / f"照片{i}.jpg"
        p.write_bytes(b"\xff" * 1000)
        files.append(Material(str(p), f"照片{i}", 1000))
    school_case.materials = files[:5]
    assert findings(school_case, "") == []
    school_case.materials = files
    [f] = findings(school_case, "")
    assert f.severity == ERROR and "共6件" in f.message and "超过5件" in f.message
    assert "通知：“研修照片、过程材料、成果代表等总数量不超过 5 件”" in f.message


def test_supporting_materials_are_required(school_case):
    """须提交 … 支撑材料: a case without any is not ready."""
    school_case.materials = []
    [f] = findings(school_case, "")
    assert f.severity == ERROR and f.document == "materials" and "还没有添加支撑材料" in f.message
    assert "须提交" in f.message


def test_supporting_materials_total_size(tmp_path, school_case):
    big = tmp_path / "视频.mp4"
    with open(big, "wb") as fh:  # sparse: 101 MB without writing it
        fh.truncate(101 * 1024 * 1024)
    school_case.materials = [Material(str(big), "课例视频", 0)]
    [f] = findings(school_case, "")
    assert "超过100M" in f.message
    school_case.materials = [Material(str(tmp_path / "gone.jpg"), "照片", 10)]
    [f] = findings(school_case, "")
    assert "找不到文件" in f.message


def test_goals_must_be_measurable_and_time_bound(school_case):
    """要求具体、可测、可实现、相关性、时限性: each goal needs a quantity and a time frame (the notice's: errors)."""
    school_case.set("goals", {"teacher": "提高教师的单元设计能力。", "teaching": "改进课堂教学。",
                              "student": "学生空间观念得到发展。"})
    found = findings(school_case, "goals")
    unmeasured = [f for f in found if "没有可测的数量或百分比" in f.message]
    untimed = [f for f in found if "没有写明时限" in f.message]
    assert len(unmeasured) == 3 and len(untimed) == 3
    assert all(f.severity == ERROR and "通知：“要求具体、可测、可实现、相关性、时限性”" in f.message for f in found)
    assert "“教学改进目标”" in unmeasured[1].message
    school_case.set("goals", {"teacher": "通过3个月的研修，90%的教师能独立设计单元任务。",
                              "teaching": "每位教师至少上1节研究课。", "student": "学生测评优秀率提高15个百分点。"})
    # Goal 1 sets the time frame for all: the others without one of their own are reminders, not errors.
    found = findings(school_case, "goals")
    assert [f.severity for f in found] == [WARNING, WARNING] and all("没有写明时限" in f.message for f in found)
    school_case.set("goals", {"teacher": "通过3个月的研修，90%的教师能独立设计单元任务。",
                              "teaching": "本学期内每位教师至少上1节研究课。", "student": "学期末优秀率提高15个百分点。"})
    assert findings(school_case, "goals") == []


@pytest.mark.parametrize("goal", ["本学期内每所成员学校开设一节研究课。", "学期末每个班级完成整本书阅读。",
                                  "本学期内每位成员教师完成课例。", "本学期内每名教师上研究课。",
                                  "通过一学期的研修，三所学校形成校本课程。", "学年末全体教师完成单元设计。"])
def test_each_school_each_member_are_quantities(studio_case, goal):
    studio_case.set("goals", dict(studio_case.get("goals"), teaching=goal))
    assert findings(studio_case, "goals") == []


def test_studio_fourth_goal_is_optional_but_checked_when_written(studio_case):
    goals = studio_case.get("goals")
    assert goals["school"] == "" and findings(studio_case, "goals") == []
    studio_case.set("goals", dict(goals, school="推动学校治理方式转变。"))
    [f] = findings(studio_case, "goals", ERROR)
    assert "“办学治校目标”没有可测的数量" in f.message
    studio_case.set("goals", dict(goals, teaching=""))
    [f] = findings(studio_case, "goals", ERROR)
    assert "“教学改进目标”尚未填写" in f.message


def test_process_stages(school_case):
    stages = school_case.get("process_stages")
    school_case.set("process_stages", stages[:1])
    # the rule's 提醒, and the review's: the one stage left ends in week 2 of the 16
    f, weeks = findings(school_case, "process_stages")
    assert f.severity == WARNING and "至少需要2项" in f.message and "流程图至少要有两个阶段" in f.message
    assert weeks.severity == WARNING and "排到第2周" in weeks.message
    stages[0]["mode"] = "自学"
    stages[1]["name"] = ""
    school_case.set("process_stages", stages)
    msgs = [f.message for f in findings(school_case, "process_stages")]
    assert any("第2个阶段缺少“阶段名称”" in m for m in msgs)
    assert not has_errors(check_case(school_case, base_dir=EXAMPLES))  # the stages are our aid: 提醒 only
    assert any("“自学”不在线上、线下、混合之中" in m for m in msgs)


def test_findings_are_grouped_by_document(school_case):
    school_case.set("report_process", "")
    school_case.set("summary", "")
    school_case.set("needs", "")
    docs = [f.document for f in check_case(school_case, base_dir=EXAMPLES)]
    assert docs == ["info", "plan", "report"]
