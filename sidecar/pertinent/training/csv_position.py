"""Where a CSV file stops being CSV: the line and column to print when pandas' parser gives up.

pandas reports an unclosed quote as "EOF inside string starting at row 1" (a row count, not a line) and a
ragged row as "Expected 4 fields in line 9, saw 5" (no column). Someone fixing the file needs the line and
column of the quote that was never closed, or of the row with the extra field, so this walks the text
once as the dialect pandas reads does (RFC 4180: `"` opens a quoted field, `""` inside it is a quote).
"""
from __future__ import annotations

from pathlib import Path


def csv_problem(path: Path) -> tuple[int, int, str] | None:
    """(1-based line, 1-based column, what is wrong) for the first structural error, or None."""
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    line, column, i = 1, 0, 0
    fields, expected, field_start = 1, None, True

    def row_end() -> tuple[int, int, str] | None:
        nonlocal fields, expected, field_start
        blank = fields == 1 and field_start
        if expected is None:
            expected = fields
        elif fields != expected and not blank:
            return line, column, f"expected {expected} fields as in the header, found {fields}"
        fields, field_start = 1, True
        return None

    while i < len(text):
        char = text[i]
        column += 1
        if char == '"' and field_start:
            opened = (line, column)
            i += 1
            while True:
                if i >= len(text):
                    return opened[0], opened[1], "this quoted field is never closed"
                if text[i] == '"':
                    if text[i + 1:i + 2] != '"':
                        break
                    i += 1
                    column += 1
                elif text[i] == "\n":
                    line, column = line + 1, 0
                column += 1
                i += 1
            field_start = False
        elif char == ",":
            fields, field_start = fields + 1, True
            if expected is not None and fields > expected:
                return line, column + 1, f"a field more than the header's {expected} starts here"
        elif char == "\n":
            problem = row_end()
            if problem:
                return problem
            line, column = line + 1, 0
        elif char != "\r":
            field_start = False
        i += 1
    return row_end() if text and not text.endswith("\n") else None
