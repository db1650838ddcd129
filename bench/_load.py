"""Load generation on loopback: wrk (Debian package) with a Lua script, or a multi-process Python fallback.

Both report the same numbers: latency percentiles (ms), requests per second, non-2xx answers and,
for decide, how many answers came from the decision cache.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

LUA = r"""
threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")
  wrk.headers["Content-Type"] = "application/json"
  mode, body = os.getenv("BENCH_MODE"), os.getenv("BENCH_BODY")
  visitors, items = tonumber(os.getenv("BENCH_VISITORS")), tonumber(os.getenv("BENCH_ITEMS"))
  counter, hits, answers = id * 1000000, 0, 0
end
request = function()
  if mode == "floor" then
    return wrk.format("GET", "/v1/_floor")
  end
  if mode == "cold" then
    -- A new (visitor, page) pair every request: the decision cache cannot answer it.
    counter = counter + 1
    local v = counter % visitors
    local c = (counter + math.floor(counter / visitors)) % items
    return wrk.format("POST", "/v1/decide", nil, (string.gsub(string.gsub(body, "VISITOR", "v" .. v),
                                                              "CONTENT", "c" .. c)))
  end
  return wrk.format("POST", "/v1/decide", nil, body)
end
response = function(status, headers, answer)
  answers = answers + 1
  if string.find(answer, '"cached":true', 1, true) then hits = hits + 1 end
end
function done(summary, latency, requests)
  local h, a = 0, 0
  for _, t in ipairs(threads) do h = h + t:get("hits"); a = a + t:get("answers") end
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
                 + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    '\nBENCH_JSON {"p50": %f, "p95": %f, "p99": %f, "requests": %d, "seconds": %f, "errors": %d, ' ..
    '"cache_hits": %d, "answers": %d, "mean": %f, "max": %f}\n',
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.duration / 1e6, errors, h, a, latency.mean / 1000, latency.max / 1000))
end
"""


@dataclass
class LoadResult:
    p50: float
    p95: float
    p99: float
    mean: float
    rps: float
    errors: int
    cache_hit_share: float | None


def have_wrk() -> bool:
    """wrk on PATH, installing the Debian package once when we are root and it is missing."""
    if shutil.which("wrk"):
        return True
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        print("bench: installing wrk (Debian package) ...", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk"],
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}, capture_output=True)
    return shutil.which("wrk") is not None


def run_wrk(url: str, key: str, mode: str, seconds: float, connections: int, body: str = "",
            visitors: int = 1, items: int = 1) -> LoadResult:
    """One wrk run; mode is floor (GET hello), warm (one repeated decide) or cold (unique decides)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA)
    env = {**os.environ, "BENCH_KEY": key, "BENCH_MODE": mode, "BENCH_BODY": body,
           "BENCH_VISITORS": str(visitors), "BENCH_ITEMS": str(items)}
    try:
        command = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds:g}s", "--timeout", "5s",
                   "-s", script.name, url]
        out = subprocess.run(command, env=env, capture_output=True, text=True, timeout=seconds + 60)
    finally:
        Path(script.name).unlink(missing_ok=True)
    line = next((x for x in out.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result: {out.stdout}\n{out.stderr}")
    data = json.loads(line.split(" ", 1)[1])
    share = data["cache_hits"] / data["answers"] if mode != "floor" and data["answers"] else None
    rps = data["requests"] / data["seconds"]
    return LoadResult(data["p50"], data["p95"], data["p99"], data["mean"], rps, data["errors"], share)
