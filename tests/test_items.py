"""The real item bank under assessments/ (contract 1), and the loader's error messages on tiny bad banks.

The content checks are cheap guards against the mistakes that hurt most in a workshop:
a wrong resolution year, the wrong NAP date that circulates online, a Vietnamese text that
lost its tone marks, or an English and a Vietnamese version that disagree on a number.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from wpskit.errors import ItemBankError
from wpskit.items import Item, ItemBank, LocalText, load_item_bank

REPO = Path(__file__).resolve().parents[1]
ASSESSMENTS = REPO / "assessments"
# The shared fact base sits beside the clone (/work/shared here, ../shared in CI).
WPS_FACTS = Path(__file__).parents[1].parent / "shared" / "wps-facts.md"

# Fallback copy of the checked table in wps-facts.md: resolution -> year adopted.
RESOLUTION_YEARS = {
    "1325": "2000",
    "1820": "2008",
    "1888": "2009",
    "1889": "2009",
    "1960": "2010",
    "2106": "2013",
    "2122": "2013",
    "2242": "2015",
    "2467": "2019",
    "2493": "2019",
}
RESOLUTION_WITH_YEAR = re.compile(r"\b(\d{4})\s*\((\d{4})\)")
WRONG_NAP_DATES = ("21 January 2024", "21 tháng 1 năm 2024", "21 tháng 01 năm 2024", "21/1/2024", "21/01/2024")
VIETNAMESE_LETTERS = set(
    "ăâđêôơư"
    "áàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
)
VIETNAMESE_LETTERS |= {c.upper() for c in VIETNAMESE_LETTERS}
MONTHS = {
    name: number
    for number, name in enumerate(
        ["january", "february", "march", "april", "may", "june", "july",
         "august", "september", "october", "november", "december"],
        start=1,
    )
}
# A capitalised month name; "May" only next to a number, so the verb "may" is not a month.
MONTH_NAME = re.compile(
    r"\b(January|February|March|April|June|July|August|September|October|November|December)\b"
    r"|(?<=\d )May\b|\bMay(?= \d)"
)
AUTO_TYPES = ("single", "multi", "truefalse", "order", "match")


def facts_table() -> dict[str, str]:
    """The resolutions table of wps-facts.md when it is there, else the fallback copy."""
    if not WPS_FACTS.is_file():
        return RESOLUTION_YEARS
    pairs = re.findall(r"^\|\s*(\d{4}) \((\d{4})\)\s*\|", WPS_FACTS.read_text(encoding="utf-8"), re.MULTILINE)
    return dict(pairs) if pairs else RESOLUTION_YEARS


@pytest.fixture(scope="module")
def bank() -> ItemBank:
    return load_item_bank(ASSESSMENTS)


def day_of(item: Item, bank: ItemBank) -> int:
    return bank.objectives[item.objective].day


def local_texts(item: Item) -> list[tuple[str, LocalText]]:
    """Every bilingual text of an item, with where it is (for messages)."""
    texts = [("text", item.text)]
    texts += [(f"options.{k}", v) for k, v in item.options.items()]
    texts += [(f"targets.{k}", v) for k, v in item.targets.items()]
    texts += [(f"rubric.{c.id}", c.text) for c in item.rubric]
    if item.feedback is not None:
        texts.append(("feedback", item.feedback))
    return texts


def all_texts(bank: ItemBank) -> list[tuple[str, LocalText]]:
    texts = [(f"objective {o.id}", o.text) for o in bank.objectives.values()]
    texts += [(f"item {i.id} {where}", t) for i in bank.items.values() for where, t in local_texts(i)]
    texts += [(f"form {f.id} title", f.title) for f in bank.forms.values()]
    return texts


def numbers(text: str, english: bool) -> Counter:
    """Numbers in a text as a multiset; an English month name counts as its number,
    so "25 January 2024" and "ngày 25 tháng 1 năm 2024" carry the same numbers."""
    found = [int(n) for n in re.findall(r"\d+", text)]
    if english:
        found += [MONTHS[m.group(0).lower()] for m in MONTH_NAME.finditer(text)]
    return Counter(found)


# --- the real bank -----------------------------------------------------------------------


def test_bank_loads_with_both_forms(bank: ItemBank) -> None:
    assert {"pre", "post"} <= set(bank.forms)
    assert len(bank.items) >= 30


def test_objectives_at_least_three_per_day(bank: ItemBank) -> None:
    per_day = Counter(o.day for o in bank.objectives.values())
    assert all(per_day[day] >= 3 for day in (1, 2, 3)), per_day
    for objective in bank.objectives.values():
        assert objective.id.startswith(f"D{objective.day}."), objective.id


def test_scored_items_at_least_thirty_and_eight_per_day(bank: ItemBank) -> None:
    per_day = Counter(day_of(item, bank) for item in bank.items.values())
    assert sum(per_day.values()) >= 30
    assert all(per_day[day] >= 8 for day in (1, 2, 3)), per_day


def test_item_ids_and_files_follow_the_day_of_their_objective(bank: ItemBank) -> None:
    for path in sorted((ASSESSMENTS / "items").glob("day*.yaml")):
        day = int(path.stem.removeprefix("day"))
        ids = re.findall(r"^- id: (\S+)", path.read_text(encoding="utf-8"), re.MULTILINE)
        assert ids, path
        for item_id in ids:
            assert item_id.startswith(f"d{day}-"), f"{path.name}: {item_id}"
            assert day_of(bank.items[item_id], bank) == day, f"{path.name}: {item_id} has a Day {day} objective"


def test_every_objective_has_an_item(bank: ItemBank) -> None:
    covered = {item.objective for item in bank.items.values()}
    assert set(bank.objectives) - covered == set()


def test_each_day_has_every_auto_graded_type(bank: ItemBank) -> None:
    for day in (1, 2, 3):
        types = {item.type for item in bank.items.values() if day_of(item, bank) == day}
        missing = set(AUTO_TYPES) - types
        assert not missing, f"Day {day} has no {sorted(missing)} item"


def test_points_follow_the_item_type(bank: ItemBank) -> None:
    for item in bank.items.values():
        if item.type in ("single", "truefalse", "text"):
            assert item.points == 1, item.id
        elif item.type in ("multi", "order", "match"):
            assert item.points == 2, item.id


def test_written_items_have_a_rubric_that_adds_up(bank: ItemBank) -> None:
    written = [item for item in bank.items.values() if item.type == "written"]
    assert len(written) >= 2
    for item in written:
        assert item.key is None and item.rubric, item.id
        assert sum(c.points for c in item.rubric) == item.points, item.id
        assert len({c.id for c in item.rubric}) == len(item.rubric), item.id


def test_every_auto_graded_item_has_feedback_and_every_item_a_source(bank: ItemBank) -> None:
    for item in bank.items.values():
        assert item.source.strip(), item.id
        if item.is_auto_graded:
            assert item.feedback is not None, item.id


def test_multi_keys_leave_a_distractor(bank: ItemBank) -> None:
    for item in bank.items.values():
        if item.type == "multi":
            assert len(item.key) < len(item.options), f"{item.id}: every option is in the key"


def test_pre_and_post_share_items_in_another_order(bank: ItemBank) -> None:
    pre, post = bank.forms["pre"], bank.forms["post"]
    assert set(pre.items) == set(post.items)
    assert pre.items != post.items
    assert pre.scored and post.scored


def test_forms_hold_every_item_of_the_bank(bank: ItemBank) -> None:
    assert set(bank.forms["pre"].items) == set(bank.items)


def test_resolution_years_match_the_checked_table(bank: ItemBank) -> None:
    table = facts_table()
    for where, text in all_texts(bank):
        for language in ("en", "vi"):
            for number, year in RESOLUTION_WITH_YEAR.findall(text.in_language(language)):
                assert number in table, f"{where} ({language}): {number} ({year}) is not a WPS resolution"
                assert table[number] == year, f"{where} ({language}): {number} ({year}) should be {number} ({table[number]})"
    for item in bank.items.values():
        for number, year in RESOLUTION_WITH_YEAR.findall(item.source):
            if number in table:
                assert table[number] == year, f"item {item.id} source: {number} ({year})"


def test_fallback_table_agrees_with_wps_facts() -> None:
    if not WPS_FACTS.is_file():
        pytest.skip(f"{WPS_FACTS} is not beside the clone")
    assert facts_table() == RESOLUTION_YEARS


def test_no_text_gives_the_wrong_nap_date(bank: ItemBank) -> None:
    for where, text in all_texts(bank):
        for language in ("en", "vi"):
            for wrong in WRONG_NAP_DATES:
                assert wrong not in text.in_language(language), f"{where} ({language}) says {wrong}"
    for item in bank.items.values():
        assert "21 January 2024" not in item.source, item.id


def test_vietnamese_texts_have_tone_marks_and_are_composed(bank: ItemBank) -> None:
    for where, text in all_texts(bank):
        vi = text.vi
        assert unicodedata.is_normalized("NFC", vi), f"{where}: Vietnamese text is not NFC"
        if re.search(r"[A-Za-z]{2}", vi):
            assert VIETNAMESE_LETTERS & set(vi), f"{where}: Vietnamese text without diacritics: {vi!r}"


def test_english_and_vietnamese_carry_the_same_numbers(bank: ItemBank) -> None:
    for where, text in all_texts(bank):
        en, vi = numbers(text.en, english=True), numbers(text.vi, english=False)
        assert en == vi, f"{where}: numbers differ, en {sorted(en.elements())} vi {sorted(vi.elements())}"


def test_text_items_accept_both_languages(bank: ItemBank) -> None:
    for item in bank.items.values():
        if item.type == "text":
            accepted = [item.key] if isinstance(item.key, str) else item.key
            assert any(VIETNAMESE_LETTERS & set(a) for a in accepted), item.id
            assert any(a.isascii() for a in accepted), item.id


# --- the loader on tiny bad banks ----------------------------------------------------------

OBJECTIVES = """\
- id: D1.1
  day: 1
  text: {en: "Explain the agenda.", vi: "Giải thích chương trình nghị sự."}
"""


def single_item(item_id: str, objective: str = "D1.1", key: str = "a") -> str:
    return f"""\
- id: {item_id}
  objective: {objective}
  type: single
  text: {{en: "Which?", vi: "Cái nào?"}}
  options:
    a: {{en: "One", vi: "Một"}}
    b: {{en: "Two", vi: "Hai"}}
  key: {key}
  source: "test"
"""


def tiny_bank(root: Path, items: dict[str, str], forms: dict[str, str] | None = None) -> Path:
    (root / "items").mkdir(parents=True)
    (root / "forms").mkdir()
    (root / "objectives.yaml").write_text(OBJECTIVES, encoding="utf-8")
    for name, text in items.items():
        (root / "items" / name).write_text(text, encoding="utf-8")
    for name, text in (forms or {}).items():
        (root / "forms" / name).write_text(text, encoding="utf-8")
    return root


def test_tiny_bank_loads(tmp_path: Path) -> None:
    root = tiny_bank(tmp_path, {"day1.yaml": single_item("d1-x")},
                     {"pre.yaml": 'title: {en: "Pre", vi: "Đầu khóa"}\nitems: [d1-x]\n'})
    bank = load_item_bank(root)
    assert list(bank.items) == ["d1-x"] and bank.forms["pre"].items == ["d1-x"]


def test_duplicate_id_across_files_names_both_files_and_the_id(tmp_path: Path) -> None:
    root = tiny_bank(tmp_path, {"a.yaml": single_item("d1-same"), "b.yaml": single_item("d1-same")})
    with pytest.raises(ItemBankError, match=r"b\.yaml.*duplicate item id 'd1-same'.*a\.yaml") as error:
        load_item_bank(root)
    assert str(root / "items" / "a.yaml") in str(error.value)
    assert str(root / "items" / "b.yaml") in str(error.value)


def test_unknown_objective_names_the_item_and_the_objective(tmp_path: Path) -> None:
    root = tiny_bank(tmp_path, {"day1.yaml": single_item("d1-lost", objective="D1.9")})
    with pytest.raises(ItemBankError, match=r"day1\.yaml: item 'd1-lost'.*objective 'D1\.9'.*objectives\.yaml"):
        load_item_bank(root)


def test_key_not_among_options_names_the_file_and_the_item(tmp_path: Path) -> None:
    root = tiny_bank(tmp_path, {"day1.yaml": single_item("d1-badkey", key="z")})
    with pytest.raises(ItemBankError, match=r"day1\.yaml: item 'd1-badkey': key must be one of the options"):
        load_item_bank(root)


def test_malformed_yaml_names_the_file(tmp_path: Path) -> None:
    broken = single_item("d1-ok") + '- id: d1-broken\n  text: {en: "unclosed, vi: \n'
    root = tiny_bank(tmp_path, {"day1.yaml": broken})
    with pytest.raises(ItemBankError, match=r"day1\.yaml: (line \d+, column \d+: )?not valid YAML"):
        load_item_bank(root)


def test_form_listing_an_unknown_item_names_the_file_and_the_item(tmp_path: Path) -> None:
    root = tiny_bank(tmp_path, {"day1.yaml": single_item("d1-x")},
                     {"post.yaml": 'title: {en: "Post", vi: "Cuối khóa"}\nitems: [d1-x, d1-ghost]\n'})
    with pytest.raises(ItemBankError, match=r"post\.yaml: form 'post' lists items that are not in the bank: \['d1-ghost'\]"):
        load_item_bank(root)


# --- pydantic's own messages in the author's language ------------------------------------------

SINGLE = {"id": "d1-x", "type": "single", "objective": "D1.1", "text": {"en": "Q?", "vi": "Hỏi?"},
          "options": {"a": {"en": "A", "vi": "A"}, "b": {"en": "B", "vi": "B"}}, "key": "a",
          "rationale": {"en": "Because.", "vi": "Vì."}, "points": 1, "source": "wps-facts"}


@pytest.mark.parametrize(("change", "english", "vietnamese"), [
    ({"text": {"en": "Q?"}}, "text.vi: Field required", "text.vi: thiếu trường bắt buộc này"),
    ({"type": "essay"}, "type: Input should be 'single', 'multi', 'truefalse', 'order', 'match', 'text' or 'written'",
     "type: giá trị phải là 'single', 'multi', 'truefalse', 'order', 'match', 'text' hoặc 'written'"),
    ({"points": "many"}, "points: Input should be a valid number, unable to parse string as a number",
     "points: giá trị phải là một số; không đọc được văn bản này thành số"),
    ({"options": ["a", "b"]}, "options: Input should be a valid dictionary",
     "options: giá trị phải là một tập hợp các cặp khoá và giá trị (dictionary)"),
])
def test_pydantic_s_own_messages_are_said_in_the_command_s_language(change, english, vietnamese):
    from wpskit.items import parse_item
    from wpskit.language import speaking

    for language, expected in (("en", english), ("vi", vietnamese)):
        with speaking(language), pytest.raises(ItemBankError) as error:
            parse_item(dict(SINGLE, **change), "day1.yaml")
        assert str(error.value).endswith(f": {expected}"), str(error.value)


def test_every_pydantic_entry_of_the_words_table_is_an_error_pydantic_has():
    import typing

    from pydantic_core.core_schema import ErrorType

    from wpskit.words import WORDS

    ours = {name.removeprefix("pydantic.") for name in WORDS if name.startswith("pydantic.")}
    assert ours and ours <= set(typing.get_args(ErrorType)), ours - set(typing.get_args(ErrorType))
