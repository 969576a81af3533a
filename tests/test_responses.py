"""The responses file (contract 2): exact content, merging, concurrency, corrupt files."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from wpskit.errors import InputDataError
from wpskit.responses import ResponseStore, read_responses

AT = "2024-11-26T02:12:03Z"


def fixed_clock() -> str:
    return AT


def test_first_save_writes_the_contract_format_exactly(tmp_path: Path) -> None:
    store = ResponseStore("pre", tmp_path, clock=fixed_clock)
    store.save("d1-1325-year", "b", "vi")
    assert json.loads((tmp_path / "pre.responses.json").read_text(encoding="utf-8")) == {
        "schema": 1,
        "form": "pre",
        "language": "vi",
        "answers": {"d1-1325-year": {"value": "b", "at": AT}},
        "updated": AT,
    }


def test_save_keeps_other_answers_and_replaces_its_own(tmp_path: Path) -> None:
    times = iter(["2024-11-26T02:00:00Z", "2024-11-26T02:00:01Z", "2024-11-26T02:00:02Z"])
    store = ResponseStore("pre", tmp_path, clock=lambda: next(times))
    store.save("a", "x", "en")
    store.save("b", ["c", "d"], "en")
    store.save("a", "y", "vi")
    data = json.loads(store.path.read_text(encoding="utf-8"))
    assert data["answers"] == {
        "a": {"value": "y", "at": "2024-11-26T02:00:02Z"},
        "b": {"value": ["c", "d"], "at": "2024-11-26T02:00:01Z"},
    }
    assert data["language"] == "vi"
    assert data["updated"] == "2024-11-26T02:00:02Z"


def test_vietnamese_text_is_written_as_readable_utf8_and_read_back_identically(tmp_path: Path) -> None:
    text = "Phụ nữ, Hòa bình và An ninh — ố ể ử"
    ResponseStore("m", tmp_path).save("w", text, "vi")
    raw = (tmp_path / "m.responses.json").read_text(encoding="utf-8")
    assert text in raw
    assert read_responses(tmp_path / "m.responses.json").value("w") == text


def test_no_temporary_files_are_left_behind(tmp_path: Path) -> None:
    store = ResponseStore("pre", tmp_path)
    for index in range(5):
        store.save(f"q{index}", index, "en")
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [".pre.responses.json.lock", "pre.responses.json"]


def test_read_responses_accepts_a_bom_and_gives_typed_answers(tmp_path: Path) -> None:
    path = tmp_path / "post.responses.json"
    content = {"schema": 1, "form": "post", "language": "en", "answers": {"q": {"value": {"x": "1"}, "at": AT}}, "updated": AT}
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(content).encode("utf-8"))
    responses = read_responses(path)
    assert responses.form == "post"
    assert responses.answers["q"].at == AT
    assert responses.values() == {"q": {"x": "1"}}
    assert responses.to_json() == content


@pytest.mark.parametrize(
    "content",
    ["{not json", "[]", '{"schema": 2, "form": "pre", "answers": {}}', '{"schema": 1, "form": "pre", "answers": {"q": "b"}}'],
)
def test_read_responses_names_the_file_when_it_is_not_a_responses_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "pre.responses.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputDataError, match="pre.responses.json"):
        read_responses(path)


def test_read_responses_of_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputDataError, match="no such responses file"):
        read_responses(tmp_path / "nope.responses.json")


def test_a_corrupt_file_is_set_aside_and_saving_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "pre.responses.json"
    path.write_text('{"schema": 1, "form": "pre", "answers": {"q1": {"value": "b", "at": "', encoding="utf-8")
    store = ResponseStore("pre", tmp_path, clock=fixed_clock)
    assert store.load().answers == {}
    backups = store.take_backups()
    assert len(backups) == 1
    assert backups[0].name.startswith("pre.responses.json.corrupt-")
    assert backups[0].read_text(encoding="utf-8").startswith('{"schema": 1')
    assert store.take_backups() == []
    store.save("q2", "a", "en")
    assert read_responses(path).values() == {"q2": "a"}


def test_a_corrupt_file_found_while_saving_is_set_aside_too(tmp_path: Path) -> None:
    store = ResponseStore("pre", tmp_path, clock=fixed_clock)
    store.save("q1", "a", "en")
    store.path.write_bytes(b"\x00\xff garbage")
    store.save("q2", "b", "en")
    assert read_responses(store.path).values() == {"q2": "b"}
    assert len(store.take_backups()) == 1
    assert len(list(tmp_path.glob("pre.responses.json.corrupt-*"))) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_an_unreadable_file_is_set_aside(tmp_path: Path) -> None:
    store = ResponseStore("pre", tmp_path)
    store.save("q1", "a", "en")
    store.path.chmod(0)
    try:
        store.save("q2", "b", "en")
    finally:
        for backup in tmp_path.glob("*.corrupt-*"):
            backup.chmod(0o644)
    assert read_responses(store.path).values() == {"q2": "b"}
    assert len(store.take_backups()) == 1


def test_two_corrupt_files_in_the_same_second_get_two_backups(tmp_path: Path) -> None:
    store = ResponseStore("pre", tmp_path)
    for _ in range(2):
        store.path.write_text("broken", encoding="utf-8")
        store.load()
    assert len(store.take_backups()) == 2
    assert len(list(tmp_path.glob("pre.responses.json.corrupt-*"))) == 2


def test_threads_saving_at_once_lose_nothing(tmp_path: Path) -> None:
    def answer(index: int) -> None:
        store = ResponseStore("pre", tmp_path)  # one store per widget, as in two notebooks
        for repeat in range(5):
            store.save(f"q{index:02d}", [index, repeat], "en")

    threads = [threading.Thread(target=answer, args=(index,)) for index in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    values = read_responses(tmp_path / "pre.responses.json").values()
    assert values == {f"q{index:02d}": [index, 4] for index in range(16)}


def _save_many(directory: str, prefix: str, count: int) -> None:
    store = ResponseStore("twin", directory)
    for index in range(count):
        store.save(f"{prefix}-{index:03d}", f"{prefix} {index} tiếng Việt", "vi")


def test_two_processes_saving_at_once_lose_nothing(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_save_many, args=(str(tmp_path), name, 40)) for name in ("en", "vi", "x")]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
    values = read_responses(tmp_path / "twin.responses.json").values()
    assert len(values) == 120
    assert values["vi-039"] == "vi 39 tiếng Việt"


def test_a_value_that_cannot_be_saved_is_refused_before_touching_the_file(tmp_path: Path) -> None:
    store = ResponseStore("pre", tmp_path)
    with pytest.raises(TypeError):
        store.save("q", {1, 2}, "en")
    assert not store.path.exists()


@pytest.mark.parametrize("form", ["", "../evil", "a/b", "-x"])
def test_form_names_are_plain_file_names(form: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        ResponseStore(form, tmp_path)


def test_store_and_wpskit_import_without_ipywidgets() -> None:
    code = (
        "import sys, wpskit, wpskit.responses;"
        "assert 'ipywidgets' not in sys.modules, 'ipywidgets imported';"
        "import wpskit.language; print('ok')"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "ok"


def test_import_wpskit_stays_light() -> None:
    code = "import sys, wpskit; print(sorted(m for m in ('ipywidgets', 'pydantic', 'yaml', 'pandas') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_a_file_that_raises_a_permission_error_is_set_aside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = ResponseStore("pre", tmp_path)
    store.save("q1", "a", "en")
    real_read_text = Path.read_text

    def refuse(self: Path, *args: object, **kwargs: object) -> str:
        if self == store.path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", refuse)
    assert store.load().answers == {}
    monkeypatch.undo()
    assert len(store.take_backups()) == 1
    assert not store.path.exists()
