"""Where training data came from: provenance.json beside generated files, read back when training on them.

A model set trained on the demo generator's output is judged on data written to reward it; its manifest
and report must say so, so nobody mistakes its numbers for results on real visitors.
"""
from __future__ import annotations

import json
from pathlib import Path

PROVENANCE_FILE = "provenance.json"
SYNTHETIC_NOTE = ("synthetic data: trained and measured on the Pertinent demo generator's output "
                  "(seed {seed}), whose visitors follow rules written for it, not on real visitors; judge "
                  "model quality on real data (python -m bench quality)")


def write_provenance(out_dir, *, seed: int, shapes: dict) -> Path:
    """Mark the files in out_dir as the demo generator's output (seed and real-site shapes included)."""
    path = Path(out_dir) / PROVENANCE_FILE
    doc = {"synthetic": True, "source": "pertinent demo generator", "seed": seed, "shapes": shapes}
    path.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def read_provenance(events_path) -> dict | None:
    """The provenance written beside an events file, or None (no file, or not readable as one)."""
    path = Path(events_path).parent / PROVENANCE_FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


def synthetic_note(provenance: dict | None) -> str | None:
    """The warning every report shows for a model set trained on synthetic data; None otherwise."""
    if not (isinstance(provenance, dict) and provenance.get("synthetic")):
        return None
    return SYNTHETIC_NOTE.format(seed=provenance.get("seed", "?"))
