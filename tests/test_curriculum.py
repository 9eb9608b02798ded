"""The cascade 科目 → 课程内容 → 学段 → 年级 for all 15 subjects, with the notice's own tables exact."""

import pytest

from app.core.curriculum import load_curriculum

SUBJECTS = ["道德与法治", "语文", "数学", "外语", "历史", "地理", "科学", "物理", "化学", "生物学", "信息科技",
            "体育与健康", "艺术", "劳动", "综合实践活动"]
STAGE = {"一": "第一学段（1-2年级）", "二": "第二学段（3-4年级）", "三": "第三学段（5-6年级）", "四": "第四学段（7-9年级）"}

# The notice's own table, copied by hand: 课程内容 → 学段.
NOTICE_TABLE = {
    "道德与法治": [("入学教育", "一"), ("道德教育", "一二三"), ("生命安全与健康教育", "一二三四"), ("法治教育", "一二三四"),
              ("中华优秀传统文化与革命传统教育", "一二三四"), ("国情教育", "二三四")],
    "语文": [(n, "一二三四") for n in ("语言文字积累与梳理", "实用性阅读与交流", "文学阅读与创意表达", "思辨性阅读与表达",
                                   "整本书阅读", "跨学科学习")],
    "数学": [("数与代数-数与运算", "一二三"), ("数与代数-数量关系", "一二三"), ("数与代数-数与式", "四"),
           ("数与代数-方程与不等式", "四"), ("数与代数-函数", "四"), ("图形与几何-图形的认识与测量", "一二三"),
           ("图形与几何-图形的位置与运动", "二三"), ("图形与几何-图形的性质", "四"), ("图形与几何-图形的变化", "四"),
           ("图形与几何-图形与坐标", "四"), ("统计与概率-数据分类", "一"), ("统计与概率-数据的收集、整理与表达", "二三"),
           ("统计与概率-随机现象发生的可能性", "三"), ("统计与概率-抽样与数据分析", "四"),
           ("统计与概率-随机事件的概率", "四"), ("综合与实践", "一二三四")],
}


@pytest.fixture(scope="module")
def cur():
    return load_curriculum()


def test_all_fifteen_subjects_in_the_notice_order(cur):
    assert list(cur.subject_names) == SUBJECTS
    assert list(cur.stage_labels) == list(STAGE.values())


@pytest.mark.parametrize("subject", list(NOTICE_TABLE))
def test_notice_tables_exactly(cur, subject):
    items = cur.content_items(subject)
    got = [(i.name, "".join(k for k, label in STAGE.items() if label in cur.stages_for_grades(i.grades)))
           for i in items]
    assert got == NOTICE_TABLE[subject]
    assert all(i.mark == "notice" for i in items)


@pytest.mark.parametrize("subject", SUBJECTS)
def test_every_subject_cascades_to_stages_and_grades(cur, subject):
    items = cur.content_items(subject)
    assert items, subject
    assert all(i.mark in ("notice", "verified", "partial", "unverified") for i in items)
    for item in items:
        s = cur.suggest(subject, [item.name])
        assert set(s.grades) <= set(s.allowed_grades) == set(item.grades)
        assert s.grades, (subject, item.name)
        assert s.stages == cur.stages_for_grades(item.grades)
        assert s.basis.startswith("《") and "》" in s.basis


def test_math_cascade_and_basis(cur):
    s = cur.suggest("数学", ["图形与几何-图形的位置与运动"])
    assert s.stages == (STAGE["二"], STAGE["三"])
    assert s.grades == (3, 4, 5, 6)
    assert s.basis == "《义务教育数学课程标准（2022年版）》“图形与几何”领域“图形的位置与运动”"
    assert cur.theme_prefix("数学", s.grades, ["图形与几何-图形的位置与运动"]) == "小学数学图形的位置与运动"


def test_chemistry_is_taught_in_grade_nine(cur):
    s = cur.suggest("化学", ["物质的化学变化"])
    assert s.stages == (STAGE["四"],)
    assert s.allowed_grades == (7, 8, 9)
    assert s.grades == (9,)  # pre-ticked: the grade 化学 is taught in
    assert cur.subject("化学").grades == (9,)
    assert cur.theme_prefix("化学", s.grades, ["物质的化学变化"]) == "初中化学物质的化学变化"


def test_art_stages_cross_the_notice_boundaries(cur):
    # 艺术's own 第二学段 is grades 3-5: it spans the notice's 第二 and 第三学段.
    s = cur.suggest("艺术", ["美术-感受中外美术的魅力"])
    assert s.allowed_grades == (3, 4, 5)
    assert s.stages == (STAGE["二"], STAGE["三"])
    s = cur.suggest("艺术", ["美术-创编校园微电影"])
    assert s.allowed_grades == (6, 7) and s.stages == (STAGE["三"], STAGE["四"])
    assert cur.suggest("艺术", ["舞蹈"]).allowed_grades == (8, 9)


def test_free_text_content_never_blocks(cur):
    s = cur.suggest("数学", ["跨学科主题：校园平面图设计"])
    assert s.allowed_grades == tuple(range(1, 10))
    assert s.grades == ()
    assert "“跨学科主题：校园平面图设计”领域" in s.basis
    assert cur.suggest("不存在的科目", []).allowed_grades == tuple(range(1, 10))


def test_theme_prefix_honours_the_five_four_system(cur):
    assert cur.theme_prefix("数学", [6], ["图形与几何-图形的位置与运动"], "六三") == "小学数学图形的位置与运动"
    assert cur.theme_prefix("数学", [6], ["图形与几何-图形的位置与运动"], "五四") == "初中数学图形的位置与运动"
    assert cur.theme_prefix("语文", [7, 8], ["整本书阅读"]) == "初中语文整本书阅读"
    assert cur.theme_prefix("语文", [5, 7], []) == "中小学语文"


def test_basis_for_subjects_with_their_own_wording(cur):
    assert cur.compose_basis("语文", ["整本书阅读"]) == "《义务教育语文课程标准（2022年版）》“整本书阅读”学习任务群"
    assert cur.compose_basis("外语", ["日语"]) == "《义务教育日语课程标准（2022年版）》"
    assert cur.compose_basis("综合实践活动", ["考察探究"]) == "《中小学综合实践活动课程指导纲要》“考察探究”活动方式"
    assert cur.compose_basis("劳动", ["日常生活劳动-清洁与卫生"]) == "《义务教育劳动课程标准（2022年版）》“日常生活劳动”“清洁与卫生”任务群"


@pytest.mark.parametrize("edit,key,problem", [
    (lambda s: s.replace('name = "语文"', 'name = "道德与法治"', 1), "subjects[1].name",
     "科目“道德与法治”重复，每个科目只能写一次"),
    (lambda s: s.replace('{ name = "道德教育", grades = "1-6"', '{ name = "入学教育", grades = "1-6"', 1),
     "subjects[0].items[1].name", "课程内容“入学教育”重复，同一科目中每项只能写一次"),
])
def test_a_subject_or_content_item_named_twice_fails_naming_the_second(tmp_path, edit, key, problem):
    """The cascade picks 课程内容 by subject and item name: a second entry of the same name would never be reachable."""
    from app import paths
    from app.core.defdata import DefinitionError

    bad = tmp_path / "curriculum.toml"
    bad.write_text(edit((paths.resources_dir() / "curriculum.toml").read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(DefinitionError) as err:
        load_curriculum(bad)
    assert (err.value.key, err.value.problem) == (key, problem)
    assert str(err.value).startswith("文件“curriculum.toml”中的")
