"""Ranking quality on real data: MovieLens latest-small, Pertinent's served path vs the open-source libraries.

Two protocols over the positives (ratings >= 4): a seeded per-user random 80/20 split, and each user's last
20% by time. Full ranking over every item the user has not interacted with in training; NDCG@10 and
recall@10. Pertinent is measured only through its served path: `pertinent train --events --content` on the
training positives as view events with their real timestamps, then `pertinent recommend --exclude-seen`,
the same recommender object the decide route loads. Prints; never fails on a number.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from bench import _movielens as ml
from bench import _peers

K = 10
TARGET = 1.10  # Pertinent's NDCG@10 over the best library peer, on both protocols


def top_k(scores: np.ndarray, x, users: np.ndarray, items: np.ndarray, k: int = K) -> dict:
    """Per user, the k best items they have not interacted with in training."""
    scores = np.asarray(scores, dtype=np.float64).copy()
    scores[x.nonzero()] = -np.inf
    best = np.argpartition(-scores, k, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(scores, best, axis=1), axis=1, kind="stable")
    best = np.take_along_axis(best, order, axis=1)
    return {int(u): items[best[r]].tolist() for r, u in enumerate(users)}


def run_peers(split) -> dict:
    """{name: (metrics or None, seconds, note)} for every peer."""
    x, users = _peers.user_item_matrix(split)
    out = {}
    for name, fit in _peers.PEERS.items():
        t0 = time.perf_counter()
        try:
            with threadpool_limits(1):
                scores = fit(x, split)
        except ImportError as exc:
            out[name] = (None, 0.0, f"not installed ({exc.name}): pip install '.[bench]'")
            continue
        ranked = top_k(scores, x, users, split.items)
        out[name] = (ml.metrics(ranked, split.truth), time.perf_counter() - t0, "")
    return out


def _cli(*args: str) -> subprocess.CompletedProcess:
    """`pertinent ...` with this checkout's sources first on the path."""
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root / "sidecar"), str(root / "sdk" / "python"),
                                                         os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "pertinent", *args], capture_output=True, text=True,
                          env=env, check=False)


def run_pertinent(split) -> tuple[dict | None, float, str]:
    """Train and recommend through the CLI; (metrics, seconds, the training log's search lines)."""
    with tempfile.TemporaryDirectory(prefix="pertinent-bench-quality-") as tmp:
        tmp = Path(tmp)
        events = split.train.rename(columns={"userId": "visitor_id", "movieId": "content_id"})
        events = events.assign(visitor_id="u" + events["visitor_id"].astype(str), event_type="view",
                               content_id=events["content_id"].astype(str))
        columns = ["visitor_id", "timestamp", "event_type", "content_id"]
        events[columns].to_csv(tmp / "events.csv", index=False)
        genres = split.movies["genres"].fillna("").str.replace("(no genres listed)", "")
        movies = split.movies.assign(content_id=split.movies["movieId"].astype(str), tags=genres,
                                     year=split.movies["year"].fillna(0).astype(int).astype(str))
        movies[["content_id", "title", "tags", "year"]].to_csv(tmp / "content.csv", index=False)
        (tmp / "visitors.txt").write_text("\n".join(f"u{u}" for u in split.truth) + "\n")
        t0 = time.perf_counter()
        trained = _cli("train", "--events", str(tmp / "events.csv"), "--content", str(tmp / "content.csv"),
                       "--models", str(tmp / "models"), "--force")
        if trained.returncode != 0:
            return None, time.perf_counter() - t0, "train failed: " + trained.stderr.strip()[-800:]
        served = _cli("recommend", "--models", str(tmp / "models"), "--events", str(tmp / "events.csv"),
                      "--visitors", str(tmp / "visitors.txt"), "--k", str(K), "--exclude-seen",
                      "--output", str(tmp / "recs.jsonl"))
        seconds = time.perf_counter() - t0
        if served.returncode != 0:
            return None, seconds, "recommend failed: " + served.stderr.strip()[-800:]
        ranked = {}
        for line in (tmp / "recs.jsonl").read_text().splitlines():
            row = json.loads(line)
            ranked[int(row["visitor_id"][1:])] = [int(c) for c in row["content_ids"]]
        log = [line for line in trained.stdout.splitlines()
               if any(w in line for w in ("l2=", "selection", "single source", "gate", "history"))]
        return ml.metrics(ranked, split.truth), seconds, "\n".join("    " + line for line in log)


def report(split, peers: dict, ours: tuple) -> None:
    """The table for one protocol, with the ratios to the best library and to the EASE reference."""
    print(f"\n{split.name}: {len(split.train)} training positives, {len(split.items)} items, "
          f"{len(split.truth)} users with held-out positives")
    print(f"  {'model':<40} {'NDCG@10':>8} {'recall@10':>9} {'seconds':>8}")
    rows = {**peers, "Pertinent (served: train -> recommend)": ours}
    for name, (m, seconds, note) in rows.items():
        if m is None:
            print(f"  {name:<40} {'-':>8} {'-':>9} {seconds:>8.1f}  {note.splitlines()[0] if note else ''}")
        else:
            print(f"  {name:<40} {m['ndcg']:>8.4f} {m['recall']:>9.4f} {seconds:>8.1f}")
    libs = {n: peers[n][0]["ndcg"] for n in _peers.LIBRARIES if peers[n][0] is not None}
    ease = peers["EASE reference (l2=300)"][0]
    if ours[0] is None:
        print(f"  Pertinent failed:\n{ours[2]}")
        return
    if ours[2]:
        print("  training log (model selection):\n" + ours[2])
    if libs:
        best = max(libs, key=libs.get)
        ratio = ours[0]["ndcg"] / libs[best]
        print(f"  Pertinent / best library ({best}): {ratio:.3f}  target >= {TARGET:.2f}: "
              f"{'met' if ratio >= TARGET else 'MISSED'}")
    else:
        print("  no peer library installed: no ratio to the best library")
    r = ours[0]["ndcg"] / ease["ndcg"]
    print(f"  Pertinent / EASE reference: {r:.3f}  (never below 1.00: {'met' if r >= 1.0 else 'MISSED'})")


def run() -> None:
    t0 = time.perf_counter()
    ratings = ml.load_ratings()
    print(f"MovieLens latest-small from {ml.WHEEL} ({len(ratings)} ratings, {time.perf_counter() - t0:.1f}s);"
          " "
          f"positives: rating >= {ml.POSITIVE:g}; recall@10 = hits / min(10, held-out)")
    for split in (ml.random_split(ratings), ml.temporal_split(ratings)):
        peers = run_peers(split)
        ours = run_pertinent(split)
        report(split, peers, ours)


if __name__ == "__main__":
    run()
