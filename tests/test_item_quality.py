"""Item quality of the real bank: every scored item says why it is built as it is, and no surface cue gives its key away.

A participant who knows nothing should not score by sorting numbers, picking the longest option,
always choosing b, or matching a word of the option to a word of the target. These checks run on
both languages, because a cue can exist in one translation only.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from wpskit.items import LANGUAGES, Item, ItemBank, load_item_bank

REPO = Path(__file__).resolve().parents[1]
NUMBER = re.compile(r"\d+")
ALL_OR_NONE = re.compile(r"all of the above|none of the above|tất cả các đáp án trên|không có đáp án nào", re.I)
EN_STOPWORDS = {
    "about", "after", "also", "among", "their", "there", "these", "this", "that", "with", "from", "into", "only",
    "each", "every", "other", "than", "them", "they", "what", "when", "where", "which", "while", "women", "woman",
    "men", "girls", "boys", "does", "have", "will", "would", "should", "wps",
}
# Share of single-choice items whose key may be the clearly longest option (chance with 4 options: 25%).
LONGEST_KEY_SHARE = 0.25
# A multi item's right options may be at most this much longer, on average, than its wrong ones.
MULTI_LENGTH_RATIO = 1.25
# No option letter may be the key of more than this share of single-choice items.
KEY_LETTER_SHARE = 0.4


@pytest.fixture(scope="module")
def bank() -> ItemBank:
    return load_item_bank(REPO / "assessments")


def scored(bank: ItemBank) -> list[Item]:
    """The items of the scored forms, each once."""
    ids = dict.fromkeys(i for form in bank.forms.values() if form.scored for i in form.items)
    return [bank.items[i] for i in ids]


def of_type(bank: ItemBank, kind: str) -> list[Item]:
    return [item for item in scored(bank) if item.type == kind]


def text(item: Item, option: str, language: str) -> str:
    return item.options[option].in_language(language)


def test_every_scored_item_has_a_rationale(bank: ItemBank) -> None:
    missing = sorted({item.id for item in scored(bank) if item.rationale is None})
    assert not missing, f"give these items a rationale (measures, key, distractors): {missing}"


def test_single_and_multi_rationales_explain_every_wrong_option(bank: ItemBank) -> None:
    # The model refuses a rationale that forgets a distractor; here: none of them is left empty.
    for item in of_type(bank, "single") + of_type(bank, "multi"):
        assert item.rationale and item.rationale.distractors, item.id


def test_order_items_cannot_be_solved_by_sorting_numbers(bank: ItemBank) -> None:
    for item in of_type(bank, "order"):
        for language in LANGUAGES:
            numbers = [NUMBER.findall(text(item, key, language)) for key in item.key]
            shown = [int(found[0]) for found in numbers if found]
            if len(shown) >= 2:
                assert shown != sorted(shown) and shown != sorted(shown, reverse=True), (
                    f"{item.id} ({language}): the numbers in the options ({shown}) sort into the key; describe the "
                    "options without numbers or years"
                )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_key_is_not_systematically_the_longest_option(bank: ItemBank, language: str) -> None:
    singles = of_type(bank, "single")
    longest = []
    for item in singles:
        lengths = sorted(((len(text(item, k, language)), k) for k in item.options), reverse=True)
        (first, key_of_first), (second, _) = lengths[0], lengths[1]
        if key_of_first == item.key and first > 1.1 * second:
            longest.append(item.id)
    assert len(longest) <= LONGEST_KEY_SHARE * len(singles), (
        f"{language}: the key is clearly the longest option in {longest}; lengthen the distractors or shorten the key"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_right_options_of_a_multi_item_are_not_longer_than_the_wrong_ones(bank: ItemBank, language: str) -> None:
    for item in of_type(bank, "multi"):
        right = [len(text(item, k, language)) for k in item.key]
        wrong = [len(text(item, k, language)) for k in item.options if k not in item.key]
        ratio = (sum(right) / len(right)) / (sum(wrong) / len(wrong))
        assert ratio <= MULTI_LENGTH_RATIO, f"{item.id} ({language}): right options are {ratio:.2f}× as long as wrong ones"


def test_keys_of_single_items_are_spread_over_the_letters(bank: ItemBank) -> None:
    keys = Counter(item.key for item in of_type(bank, "single"))
    letter, count = keys.most_common(1)[0]
    assert count <= KEY_LETTER_SHARE * sum(keys.values()), f"'{letter}' is the key of {count} of {sum(keys.values())} single items: {dict(keys)}"


def test_no_all_or_none_of_the_above(bank: ItemBank) -> None:
    for item in scored(bank):
        for key, option in item.options.items():
            for language in LANGUAGES:
                assert not ALL_OR_NONE.search(option.in_language(language)), f"{item.id}, option {key} ({language})"


def test_no_english_article_before_the_options(bank: ItemBank) -> None:
    for item in of_type(bank, "single"):
        assert not re.search(r"\b(a|an)\s*(…|\.\.\.)?$", item.text.en.strip()), f"{item.id}: the stem ends with an article"


def content_words(phrase: str, language: str) -> set[str]:
    """English: words of 4+ letters that carry meaning; Vietnamese: pairs of syllables (a word is often two)."""
    tokens = re.findall(r"\w+", phrase.lower())
    if language == "en":
        return {t for t in tokens if len(t) >= 4 and t not in EN_STOPWORDS}
    return {" ".join(pair) for pair in zip(tokens, tokens[1:])}


def test_match_options_share_no_word_with_their_own_target(bank: ItemBank) -> None:
    """A word shared by an option and its target is a cue unless other options carry it too."""
    for item in of_type(bank, "match"):
        for language in LANGUAGES:
            words = {k: content_words(text(item, k, language), language) for k in item.options}
            for option, target in item.key.items():
                elsewhere = set().union(*(w for k, w in words.items() if k != option))
                shared = (words[option] - elsewhere) & content_words(item.targets[target].in_language(language), language)
                assert not shared, f"{item.id}, {option} → {target} ({language}): the words {sorted(shared)} give the match away"
