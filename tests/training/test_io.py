"""Input files: clear errors naming file, line and column; unusable rows counted, not fatal."""
from __future__ import annotations

import pandas as pd
import pytest
from pertinent.training.io import InputReport, TrainingInputError, read_content, read_events

HEADER = "visitor_id,timestamp,event_type,content_id,value,session_id,device,referrer,country\n"


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_timestamp_names_file_line_and_column(tmp_path):
    path = _write(tmp_path / "events.csv", HEADER + "v1,2026-01-01T10:00:00Z,view,1,,s1,mobile,,US\n"
                                           "v1,yesterday,view,1,,s1,mobile,,US\n")
    with pytest.raises(TrainingInputError) as err:
        read_events(path)
    assert (err.value.path, err.value.line, err.value.column) == (str(path), 3, 2)
    assert "ISO 8601" in str(err.value) and str(err.value).startswith(f"{path}:3:2:")


def test_unknown_event_type_and_bad_value_are_errors(tmp_path):
    path = _write(tmp_path / "e.csv", HEADER + "v1,1700000000,purchase,1,,s1,,,\n")
    with pytest.raises(TrainingInputError) as err:
        read_events(path)
    assert (err.value.line, err.value.column) == (2, 3) and "view" in err.value.message
    path = _write(tmp_path / "e2.csv", HEADER + "v1,1700000000,view,1,lots,s1,,,\n")
    with pytest.raises(TrainingInputError) as err:
        read_events(path)
    assert (err.value.line, err.value.column) == (2, 5)


def test_missing_column_is_named(tmp_path):
    path = _write(tmp_path / "e.csv", "visitor_id,event_type,content_id\nv1,view,1\n")
    with pytest.raises(TrainingInputError) as err:
        read_events(path)
    assert err.value.line == 1 and "'timestamp'" in err.value.message


def test_unusable_rows_are_counted_not_fatal(tmp_path):
    path = _write(tmp_path / "e.csv", HEADER
                  + "v1,2026-01-01T10:00:00Z,view,1,,s1,mobile,,US\n"
                  + "v1,2026-01-01T10:00:00Z,view,1,,s1,mobile,,US\n"      # duplicate
                  + "v2,1767261600,view,999,,s2,desktop,www.google.com,GB\n"  # unknown content
                  + ",1767261600,view,1,,s3,desktop,,GB\n")                 # no visitor
    report = InputReport()
    events = read_events(path, {"1"}, report)
    assert len(events) == 1 and report.events_read == 4
    assert report.skipped == {"duplicate": 1, "unknown content_id": 1, "missing visitor_id": 1}


def test_epoch_and_iso_timestamps_mix_and_sort(tmp_path):
    rows = "v1,2026-01-01T10:00:00Z,view,1,,,,,\nv1,1767225599,view,2,,,,,\n"
    path = _write(tmp_path / "e.csv", HEADER + rows)
    events = read_events(path)
    assert list(events["content_id"]) == ["2", "1"]
    assert events["ts"].iloc[1] == pd.Timestamp("2026-01-01T10:00:00Z").timestamp()
    assert list(events["session_id"]) == ["v1", "v1"]  # no session: the visitor is the session


def test_parquet_inputs_and_content_metadata(tmp_path):
    content = pd.DataFrame({"content_id": ["1", "2"], "title": ["SEO basics", "Cart tips"],
                            "tags": ["seo|serp", "cart"], "categories": ["Search", "Shop"],
                            "published_at": ["2026-01-01T00:00:00Z", ""], "topics": ["seo", "ecommerce"]})
    content.to_parquet(tmp_path / "c.parquet")
    items = read_content(tmp_path / "c.parquet")
    assert items[0].tags == ["seo", "serp"] and items[0].meta == {"topics": ["seo"]}
    assert items[1].published_at is None
    events = pd.DataFrame({"visitor_id": ["v1"], "timestamp": ["2026-01-02T00:00:00Z"],
                           "event_type": ["view"], "content_id": ["1"]})
    events.to_parquet(tmp_path / "e.parquet")
    assert len(read_events(tmp_path / "e.parquet", {"1", "2"})) == 1


def test_content_without_id_is_an_error(tmp_path):
    path = _write(tmp_path / "c.csv", "content_id,title\n1,A\n,B\n")
    with pytest.raises(TrainingInputError) as err:
        read_content(path)
    assert (err.value.line, err.value.column) == (3, 1)


def test_parquet_native_timestamps_and_missing_values(tmp_path):
    stamps = pd.to_datetime(["2026-01-02T00:00:00Z", "2026-01-03T10:00:00Z"], utc=True)
    events = pd.DataFrame({"visitor_id": ["v1", "v2"], "event_type": ["view", "conversion"],
                           "timestamp": stamps, "content_id": ["1", "2"], "value": [None, 2.5]})
    events.to_parquet(tmp_path / "e.parquet")
    out = read_events(tmp_path / "e.parquet")
    assert list(out["ts"]) == [pd.Timestamp("2026-01-02T00:00:00Z").timestamp(),
                               pd.Timestamp("2026-01-03T10:00:00Z").timestamp()]
    assert out["value"].isna().tolist() == [True, False]


@pytest.mark.parametrize("body, where, says", [
    # The case: a quote opened on line 2 and never closed was reported at 1:1.
    ('"v1,2026-01-01T10:00:00Z,view,1,,s1,mobile,,US\nv2,2026-01-01T10:00:00Z,view,1,,s1,,,\n', (2, 1),
     "never closed"),
    # Quoted fields may span lines and escape quotes; the unclosed one is on line 4, column 25.
    ('v1,2026-01-01T10:00:00Z,view,1,,s1,"two\nlines",,\nv1,2026-01-01T10:00:00Z,view,1,,"a ""b""",,,\n'
     'v1,2026-01-01T10:00:00Z,"view,1,,s1,,,\n', (5, 25), "never closed"),
    # One field too many on line 3: the column where the extra field starts.
    ("v1,2026-01-01T10:00:00Z,view,1,,s1,mobile,,US\nv1,2026-01-01T10:00:00Z,view,1,,s1,mobile,,US,extra\n",
     (3, 47), "more than the header's 9"),
])
def test_a_broken_csv_names_the_line_and_column_where_it_breaks(tmp_path, body, where, says):
    path = _write(tmp_path / "events.csv", HEADER + body)
    with pytest.raises(TrainingInputError) as err:
        read_events(path)
    assert (err.value.line, err.value.column) == where, str(err.value)
    assert says in err.value.message
