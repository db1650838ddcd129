"""Training time and peak memory at 100k and 1M events over a 10,000-item catalog (target: < 2 min, < 4 GB).

Data: the demo site generator scaled up (10,000 posts, visitors with latent interests). Each size trains in
its own process, so the peak resident memory printed is that training's alone. Prints; never fails on speed.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time

SIZES = [("100k events", 1_250), ("1M events", 12_500)]  # visitors; ~80 events per visitor
ITEMS = 10_000

CHILD = """
import json, resource, sys, time
from pertinent.demo.generator import generate
from pertinent.training.pipeline import train_from_files
out, visitors, items = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
t0 = time.perf_counter()
summary = generate(out, n_posts=items, n_variants=12, n_visitors=visitors, days=28)
generated = time.perf_counter() - t0
t0 = time.perf_counter()
result = train_from_files(summary["events_path"], summary["content_path"], out + "/models", force=True,
                          progress=lambda line: print("    " + line, file=sys.stderr, flush=True))
elapsed = time.perf_counter() - t0
print(json.dumps({"events": summary["events"], "items": summary["content"], "generate_s": generated,
                  "train_s": elapsed, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "ndcg": result.metrics["ranking"]["overall"]["ndcg@10"],
                  "ndcg_popularity": result.baseline_metrics["ranking_popularity"]["overall"]["ndcg@10"],
                  "click_auc": result.metrics["click"]["auc"], "timings": result.timings}))
"""


def measure(visitors: int, items: int = ITEMS) -> dict:
    """Generate and train in a child process; returns its numbers."""
    with tempfile.TemporaryDirectory(prefix="pertinent-bench-train-") as tmp:
        done = subprocess.run([sys.executable, "-c", CHILD, tmp, str(visitors), str(items)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(done.stderr[-3000:])
        return json.loads(done.stdout.strip().splitlines()[-1])


def run() -> None:
    print(f"{'size':<12} {'events':>9} {'items':>6} {'train s':>8} {'peak MB':>8} {'NDCG@10':>8} "
          f"{'popular':>8} {'click AUC':>9}  (generation s)")
    for label, visitors in SIZES:
        t0 = time.perf_counter()
        r = measure(visitors)
        auc = f"{r['click_auc']:.3f}" if r["click_auc"] is not None else "-"
        print(f"{label:<12} {r['events']:>9} {r['items']:>6} {r['train_s']:>8.1f} {r['peak_mb']:>8.0f} "
              f"{r['ndcg']:>8.3f} {r['ndcg_popularity']:>8.3f} {auc:>9}  ({r['generate_s']:.0f})", flush=True)
        slowest = sorted(r["timings"].items(), key=lambda kv: -kv[1])[:4]
        print("    slowest steps: " + ", ".join(f"{k} {v:.1f}s" for k, v in slowest))
        print(f"    target: train < 120 s and < 4096 MB: "
              f"{'met' if r['train_s'] < 120 and r['peak_mb'] < 4096 else 'MISSED'} "
              f"(wall {time.perf_counter() - t0:.0f}s with generation)", flush=True)


if __name__ == "__main__":
    run()
