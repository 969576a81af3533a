"""Every factual claim listed in modules/sources.yaml names its source wherever the kit makes it.

A reading cell of a notebook (markdown; keypoints, headers and exercise instructions restate, they do not claim)
that makes a claim must name one of the claim's sources in the cell, normally in its "Source:" line; an item of
the bank that makes a claim must name it in `source`. Entries of Vietnamese law and UN texts quote the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
import yaml

from wpskit.items import Item, load_item_bank

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "modules" / "sources.yaml"
KINDS = {"un", "vn-law", "seed", "press", "study"}
QUOTED_KINDS = {"un", "vn-law"}
RESTATING_ROLES = {"header", "recap", "exercise-intro", "score"}


@dataclass(frozen=True)
class Text:
    where: str
    language: str
    body: str
    cited_in: str


def fold(text: str) -> str:
    """Case, bold marks and line breaks do not matter when looking for a claim."""
    text = unicodedata.normalize("NFC", text).replace("**", "")
    return re.sub(r"\s+", " ", text).casefold()


def notebook_texts(root: Path = REPO / "modules") -> list[Text]:
    texts = []
    for path in sorted(root.rglob("*.ipynb")):
        language = "vi" if path.name.endswith(".vi.ipynb") else "en"
        for number, cell in enumerate(nbformat.read(path, as_version=4).cells):
            role = cell.metadata.get("wpskit", {}).get("role")
            if cell.cell_type == "markdown" and role not in RESTATING_ROLES:
                where = f"{path.relative_to(REPO)}, cell {number}"
                texts.append(Text(where, language, cell.source, cell.source))
    return texts


def item_texts(items: list[Item]) -> list[Text]:
    texts = []
    for item in items:
        for language in ("en", "vi"):
            parts = [item.text.in_language(language)]
            parts += [o.in_language(language) for o in {**item.options, **item.targets}.values()]
            parts += [item.feedback.in_language(language)] if item.feedback else []
            texts.append(Text(f"item {item.id}", language, "\n".join(parts), item.source))
    return texts


def unsourced(claims: list[dict], texts: list[Text]) -> tuple[list[str], set[str]]:
    """(one line per text that makes a claim without naming its source, the ids of the claims found at all)"""
    problems, found = [], set()
    for text in texts:
        body, cited_in = fold(text.body), fold(text.cited_in)
        for claim in claims:
            if any(fold(phrase) in body for phrase in claim["match"][text.language]):
                found.add(claim["id"])
                if not any(fold(c) in cited_in for c in claim["cite"]):
                    problems.append(f"{text.where} ({text.language}) claims '{claim['id']}' but names none of "
                                    f"{claim['cite']}: cite {claim['source']}")
    return problems, found


@pytest.fixture(scope="module")
def claims() -> list[dict]:
    return yaml.safe_load(SOURCES.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def texts() -> list[Text]:
    return notebook_texts() + item_texts(list(load_item_bank(REPO / "assessments").items.values()))


def test_each_claim_is_complete(claims: list[dict]) -> None:
    assert len({c["id"] for c in claims}) == len(claims)
    for claim in claims:
        assert claim["kind"] in KINDS, claim["id"]
        assert claim["claim"]["en"] and claim["claim"]["vi"] and claim["source"] and claim["cite"], claim["id"]
        assert claim["match"]["en"] and claim["match"]["vi"], claim["id"]
        if claim["kind"] in QUOTED_KINDS:
            assert claim.get("quote"), f"{claim['id']}: quote the words of the {claim['kind']} text"


def test_every_cell_and_item_that_makes_a_claim_names_its_source(claims: list[dict], texts: list[Text]) -> None:
    problems, _ = unsourced(claims, texts)
    assert not problems, "\n".join(problems)


def test_every_claim_is_still_made_somewhere(claims: list[dict], texts: list[Text]) -> None:
    _, found = unsourced(claims, texts)
    assert not {c["id"] for c in claims} - found, "these claims are no longer in the kit: remove them from sources.yaml"


def test_the_decisions_objectives_are_cited_to_the_decision_and_the_pillars_to_the_launch(texts: list[Text]) -> None:
    """The issue's trap: cells cited the Decision for the four pillars, which come from the launch coverage."""
    for text in texts:
        body = fold(text.body)
        says_pillars = "four pillars plus international cooperation" in body or "bốn trụ cột cộng thêm hợp tác quốc tế" in body
        if says_pillars and ".ipynb" in text.where:
            assert "launch" in fold(text.cited_in) or "lễ ra mắt" in fold(text.cited_in), text.where


def test_a_claim_put_back_without_its_source_is_caught(claims: list[dict]) -> None:
    planted = [
        Text("planted, cell 1", "vi", "Chương trình được phê duyệt ngày 25 tháng 1 năm 2024.\n\n*Nguồn: báo chí.*", ""),
        Text("planted, cell 2", "en", "The Ha Noi Commitment was co-sponsored by 75 countries.", "*Source: a blog.*"),
        Text("planted, cell 3", "en", "A child is a person under 16 in Viet Nam.", "*Source: UNICEF.*"),
        Text("planted, cell 4", "vi", "Tăng cường lồng ghép giới trong hoạt động **cứu trợ và phục hồi**.", "*Nguồn: ASEAN.*"),
    ]
    problems, _ = unsourced(claims, planted)
    assert len(problems) == 4, problems
