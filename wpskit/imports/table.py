"""A scores CSV as a table: its header and its rows, with the line each row starts on."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils import get_column_letter

from wpskit.errors import InputDataError
from wpskit.roster import clean_text, decode_csv
from wpskit.words import label


@dataclass(frozen=True)
class Table:
    """A CSV's header and its rows as (line of the row's first character, cells)."""

    path: Path
    header: list[str]
    rows: list[tuple[int, list[str]]]

    def where(self, line: int, index: int | None = None) -> str:
        if index is None:
            return label("error.where_line", file=self.path, line=line)
        return label("error.where_cell", file=self.path, line=line, column=get_column_letter(index + 1),
                     header=self.header[index])


def _delimiter(text: str) -> str:
    """',' or ';', whichever separates the header line's fields (Kobo and a Vietnamese Excel write ';')."""
    first = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])
    return ";" if len(first) <= 1 and ";" in text.split("\n", 1)[0] else ","


def read_table(path: Path) -> Table:
    """A UTF-8 CSV, separated by ',' or ';'; a row longer than the header is refused."""
    text = decode_csv(path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header = [clean_text(name) for name in next(reader)]
    rows, line = [], reader.line_num + 1
    for values in reader:
        if len(values) > len(header):
            raise InputDataError(label("error.imports_too_many_fields", file=path, line=line, found=len(values),
                                       expected=len(header)))
        if any(value.strip() for value in values):
            rows.append((line, values + [""] * (len(header) - len(values))))
        line = reader.line_num + 1
    return Table(path, header, rows)
