"""Training inputs: events and content from CSV or Parquet files (or a store), checked with clear errors.

A malformed file stops with TrainingInputError naming the file, line and column and what was expected;
rows that are merely unusable (unknown content id, duplicate, no visitor) are counted and reported.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from ..domain import EVENT_TYPES, ContentItem
from .csv_position import csv_problem

EVENT_REQUIRED = ["visitor_id", "timestamp", "event_type", "content_id"]
EVENT_OPTIONAL = ["value", "session_id", "device", "referrer", "country"]
CONTENT_REQUIRED = ["content_id", "title"]
CONTENT_KNOWN = ["content_id", "title", "text", "excerpt", "tags", "categories", "published_at", "type",
                 "url", "status"]

# Two events with all of these equal are one event sent twice (a retried batch, an export's repeated row):
# the file reader and training from the store drop the copies alike.
# The columns of domain.without_duplicates' key (the served history drops the same repeats).
DUPLICATE_KEY = ("visitor_id", "ts", "event_type", "content_id", "session_id")


class TrainingInputError(Exception):
    """A bad input file: path, 1-based line (header = line 1 for CSV) and 1-based column."""

    def __init__(self, path, line: int, column: int, message: str):
        super().__init__(f"{path}:{line}:{column}: {message}")
        self.path, self.line, self.column, self.message = str(path), line, column, message


@dataclass
class InputReport:
    """What was read and what had to be skipped, with the reason."""

    events_read: int = 0
    events_used: int = 0
    content_read: int = 0
    skipped: dict = field(default_factory=dict)

    def skip(self, reason: str, n: int) -> None:
        if n:
            self.skipped[reason] = self.skipped.get(reason, 0) + int(n)


def _read_table(path: Path) -> tuple[pd.DataFrame, int]:
    """(strings-only frame, offset from row position to file line); Parquet rows count from 1."""
    if not path.exists():
        raise TrainingInputError(path, 0, 0, "file not found")
    try:
        if path.suffix.lower() in (".parquet", ".pq"):
            df = pd.read_parquet(path)
            return df.astype(object).where(df.notna(), "").astype(str), 1
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8-sig"), 2
    except (ValueError, OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        if path.suffix.lower() in (".parquet", ".pq"):
            raise TrainingInputError(path, 1, 1, f"cannot be read as Parquet: {exc}") from None
        where = csv_problem(path) if isinstance(exc, pd.errors.ParserError) else None
        if where is not None:
            raise TrainingInputError(path, *where) from None
        raise TrainingInputError(path, 1, 1, f"cannot be read as CSV: {exc}") from None


def _require(df: pd.DataFrame, path: Path, required: list[str]) -> None:
    for name in required:
        if name not in df.columns:
            raise TrainingInputError(path, 1, len(df.columns) + 1,
                                     f"missing column {name!r}; expected columns {', '.join(required)} "
                                     f"(found {', '.join(map(str, df.columns))})")


def _fail_at(df: pd.DataFrame, path: Path, offset: int, bad: np.ndarray, column: str, expected: str):
    first = int(np.flatnonzero(bad)[0])
    value = df[column].iloc[first]
    raise TrainingInputError(path, first + offset, list(df.columns).index(column) + 1,
                             f"column {column!r}: {value!r} is not {expected}")


# Times outside 1970..2200 are not events of a real site but a unit mix-up (epoch milliseconds read as
# seconds are year 50,000+), and past 2262 pandas cannot hold them at all: refused with the line.
LATEST_TIME = 7_258_118_400.0  # 2200-01-01T00:00:00Z
TIME_EXPECTED = "an ISO 8601 time or epoch seconds between 1970 and 2200 (epoch milliseconds? divide by 1000)"


def parse_timestamps(raw: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """ISO 8601 or epoch seconds -> (float seconds, bad mask: unreadable or outside 1970..2200)."""
    text = raw.str.strip()
    numeric = pd.to_numeric(text, errors="coerce")
    seconds = numeric.to_numpy(dtype=float, copy=True)
    iso = (numeric.isna() & (text != "")).to_numpy()
    if iso.any():
        parsed = pd.to_datetime(text[iso], utc=True, format="ISO8601", errors="coerce")
        # Through milliseconds, not nanoseconds: a year like 9999 must reach the range check, not overflow.
        millis = parsed.dt.tz_convert(None).to_numpy(dtype="datetime64[ms]")
        values = millis.astype("int64") / 1000.0
        values[np.isnat(millis)] = np.nan
        seconds[iso] = values
    with np.errstate(invalid="ignore"):
        return seconds, ~((seconds >= 0) & (seconds < LATEST_TIME))


def read_events(path, known_content: set[str] | None = None,
                report: InputReport | None = None) -> pd.DataFrame:
    """Events sorted by time: visitor_id, ts (epoch s), timestamp (UTC), event_type, content_id, value, ..."""
    path = Path(path)
    report = report if report is not None else InputReport()
    df, offset = _read_table(path)
    _require(df, path, EVENT_REQUIRED)
    ts, bad = parse_timestamps(df["timestamp"])
    if bad.any():
        _fail_at(df, path, offset, bad, "timestamp", TIME_EXPECTED)
    kind = df["event_type"].str.strip().str.lower()
    bad = ~kind.isin(EVENT_TYPES).to_numpy()
    if bad.any():
        _fail_at(df, path, offset, bad, "event_type", f"one of {', '.join(EVENT_TYPES)}")
    value = pd.to_numeric(df["value"], errors="coerce") if "value" in df else \
        pd.Series(np.nan, index=df.index)
    if "value" in df:
        bad = (value.isna() & (df["value"].str.strip() != "")).to_numpy()
        if bad.any():
            _fail_at(df, path, offset, bad, "value", "a number")
    out = pd.DataFrame({"visitor_id": df["visitor_id"].str.strip(), "ts": ts, "event_type": kind,
                        "content_id": df["content_id"].str.strip(), "value": value.to_numpy(dtype=float)})
    for name in EVENT_OPTIONAL[1:]:
        out[name] = df[name].str.strip() if name in df else ""
    return usable_events(out, known_content, report)


def usable_events(out: pd.DataFrame, known_content: set[str] | None, report: InputReport) -> pd.DataFrame:
    """Drop (and count) rows that cannot be used; sort by time."""
    report.events_read += len(out)
    missing = (out["visitor_id"] == "").to_numpy()
    report.skip("missing visitor_id", missing.sum())
    out = out[~missing]
    if known_content is not None:
        unknown = ((out["content_id"] != "") & ~out["content_id"].isin(known_content)).to_numpy()
        report.skip("unknown content_id", unknown.sum())
        out = out[~unknown]
    dup = out.duplicated(subset=list(DUPLICATE_KEY)).to_numpy()
    report.skip("duplicate", dup.sum())
    out = out[~dup]
    out = out.assign(session_id=out["session_id"].where(out["session_id"] != "", out["visitor_id"]))
    out = out.sort_values("ts", kind="stable").reset_index(drop=True)
    out["timestamp"] = pd.to_datetime(out["ts"], unit="s", utc=True)
    report.events_used = len(out)
    return out


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split("|") if part.strip()]


def read_content(path, report: InputReport | None = None) -> list[ContentItem]:
    """Catalog items; list columns are '|'-separated; unknown columns become editor metadata."""
    path = Path(path)
    report = report if report is not None else InputReport()
    df, offset = _read_table(path)
    _require(df, path, CONTENT_REQUIRED)
    published = pd.Series([""] * len(df)) if "published_at" not in df else df["published_at"]
    seconds, bad = parse_timestamps(published.astype(str))
    bad &= published.astype(str).str.strip().to_numpy() != ""
    if bad.any():
        _fail_at(df, path, offset, bad, "published_at", TIME_EXPECTED)
    empty = (df["content_id"].str.strip() == "").to_numpy()
    if empty.any():
        _fail_at(df, path, offset, empty, "content_id", "a non-empty id")
    meta_cols = [c for c in df.columns if c not in CONTENT_KNOWN]
    items: dict[str, ContentItem] = {}
    for i, row in enumerate(df.itertuples(index=False)):
        r = dict(zip(df.columns, row, strict=True))
        when = None if np.isnan(seconds[i]) else datetime.fromtimestamp(seconds[i], tz=timezone.utc)
        cid = r["content_id"].strip()
        items[cid] = ContentItem(
            id=cid, title=r["title"], text=r.get("text", ""), excerpt=r.get("excerpt", ""),
            tags=_split(r.get("tags", "")), categories=_split(r.get("categories", "")),
            type=r.get("type", "") or "post", url=r.get("url", ""), status=r.get("status", "") or "publish",
            published_at=when, modified_at=when, meta={c: _split(r[c]) for c in meta_cols if r[c]})
    report.content_read += len(df)
    report.skip("duplicate content_id", len(df) - len(items))
    return list(items.values())
