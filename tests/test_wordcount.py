"""The 字数 counter agrees with Word's Chinese 字数统计 on the vectors reviewers hit in practice."""

import pytest
from hypothesis import example, given, strategies as st

from app.core.wordcount import count_chars, count_words, counts
from tests.conftest import run_cli

VECTORS = [
    ("AI课堂诊断", 5),
    ("2022年版", 3),
    ("H5播放器授课", 6),
    ("“国家平台资源校本化”", 11),
    ("（一）校本研修", 7),
    ("hello world", 2),
    ("e.g. 测试", 3),
    ("90%", 1),
    ("你 好 世 界", 4),
    ("GPT-4o模型", 3),
    ("第3.5节 A/B测试", 6),
    ("", 0),
    ("   ", 0),
    ("\n\t\u3000", 0),
    ("你好，世界。", 6),
    ("Hello, world!", 2),
    ("课标（2022年版）要求", 9),
    ("一二三四五 six seven eight", 8),
]


@pytest.mark.parametrize("text,expected", VECTORS)
def test_word_count_vectors(text, expected):
    assert count_words(text) == expected


def test_character_counts_with_and_without_spaces():
    c = counts("第3.5节 A/B测试")
    assert (c.words, c.chars_no_spaces, c.chars_with_spaces) == (6, 10, 11)
    # Line breaks are paragraph marks in Word, never characters.
    assert count_chars("甲\n乙", spaces=True) == 2


def test_counts_a_whole_report_in_linear_time():
    # 200 000 characters must come back at once; a quadratic counter would take minutes here.
    text = ("研修AI课堂2022年版 “诊断”，" * 10_000)
    assert count_words(text) == 10_000 * 13


cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
latin = st.characters(min_codepoint=0x21, max_codepoint=0x7E)
space = st.sampled_from([" ", "\n", "\t", "\u3000"])
texts = st.text(st.one_of(cjk, latin, space, st.characters()), max_size=200)


@given(texts)
def test_count_never_exceeds_non_space_characters(text):
    assert count_words(text) <= count_chars(text, spaces=False)


@given(texts, texts)
def test_concatenating_across_a_space_adds_counts(a, b):
    assert count_words(a + " " + b) == count_words(a) + count_words(b)


FULL_WIDTH_MARKS = "，。、；：？！（）《》【】“”‘’—…·"


def _count_by_hand(text: str) -> int:
    """Word's rule read off the README, one character at a time: a CJK character or full-width mark is 1 字, a run
    of other non-space characters is 1, whitespace separates. Independent of the counter's regular expression."""
    n, in_run = 0, False
    for ch in text:
        if ch.isspace():
            in_run = False
        elif "\u4e00" <= ch <= "\u9fff" or ch in FULL_WIDTH_MARKS:
            n, in_run = n + 1, False
        elif not in_run:
            n, in_run = n + 1, True
    return n


@given(st.text(st.one_of(cjk, latin, space, st.sampled_from(list(FULL_WIDTH_MARKS))), max_size=200))
@example("AI…2022")  # each mark between Latin runs: a mark counted as part of a run joins them
@example("A—B‘c’d“e”f·g，h。i（j）k")
def test_the_fast_count_equals_a_character_by_character_count(text):
    assert count_words(text) == _count_by_hand(text)


@given(texts, st.data())
def test_counting_only_around_an_edit_equals_a_full_count(old, data):
    from app.core.wordcount import count_after_edit

    position = data.draw(st.integers(0, len(old)))
    removed = data.draw(st.integers(0, len(old) - position))
    inserted = data.draw(texts)
    new = old[:position] + inserted + old[position + removed:]
    assert count_after_edit(old, count_words(old), new, position, removed, len(inserted)) == count_words(new)


@pytest.mark.parametrize("run", [1, 63, 64, 65, 255, 256, 257, 1500])
def test_an_edit_inside_a_long_latin_run_is_counted_as_the_whole_run(run):
    """A pasted URL or a long English name is one 字 however long: an edit anywhere in it, or splitting it with a
    space or a Chinese character, is counted as Word counts the whole text."""
    from app.core.wordcount import count_after_edit

    old = "研修" + "a" * run + "课例 x"
    for position in sorted({0, 2, 3, 2 + run // 2, 2 + run - 1, 2 + run, len(old)}):
        for inserted in ("b", " ", "研", "b c", ""):
            removed = 1 if position < len(old) and inserted == "" else 0
            new = old[:position] + inserted + old[position + removed:]
            got = count_after_edit(old, count_words(old), new, position, removed, len(inserted))
            assert got == count_words(new), (run, position, inserted)


def test_a_misreported_edit_falls_back_to_a_full_count():
    from app.core.wordcount import count_after_edit

    assert count_after_edit("研修 AI", 3, "完全不同的文本", 0, 1, 1) == count_words("完全不同的文本")


@given(st.text(cjk, max_size=100))
def test_each_hanzi_is_one(text):
    assert count_words(text) == len(text)


@pytest.mark.parametrize("text,expected", VECTORS[:12])
def test_count_command_reads_standard_input(text, expected):
    result = run_cli("count", stdin=text.encode("utf-8"))
    assert result.returncode == 0
    assert result.stdout.decode().strip() == str(expected)


def test_count_command_reads_a_file(tmp_path):
    f = tmp_path / "概述.txt"
    f.write_text("AI课堂诊断\n第3.5节 A/B测试\n", encoding="utf-8")
    result = run_cli("count", str(f))
    assert result.returncode == 0 and result.stdout.decode().strip() == "11"
    err = result.stderr.decode()
    assert "字符数（不计空格）：16" in err and "字符数（计空格）：17" in err


def test_count_command_names_a_missing_file(tmp_path):
    result = run_cli("count", str(tmp_path / "missing.txt"))
    assert result.returncode == 2
    assert "无法读取文件" in result.stderr.decode()
