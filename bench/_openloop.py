"""An open-loop HTTP load generator: requests leave on a fixed schedule whether or not earlier ones came
back, and each latency is measured from the moment the request was due. A closed-loop tool (wrk, or one
request per connection at a time) waits for answers before it sends more, so a stalled server is offered
less load and its tail looks better than any visitor would see it ("coordinated omission").

One asyncio loop, keep-alive connections opened as needed (a request takes an idle connection or opens a
new one, up to `max_connections`); HTTP/1.1 written and read by hand, since the bodies are small and
known. The generator reports how late it sent (`send_lag_p99_ms`): when that grows, the generator, not
the server, is the limit, and the row says so.
"""
from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Request:
    """One kind of request in the mix: its share of the load and the raw requests to draw from (many
    visitors and pages, so the decision cache sees what a site gives it, not one repeated request)."""

    name: str
    share: float
    raws: tuple[bytes, ...]


def http_request(method: str, path: str, host: str, body: bytes = b"", headers: dict | None = None) -> bytes:
    head = [f"{method} {path} HTTP/1.1", f"Host: {host}", f"Content-Length: {len(body)}"]
    head += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


@dataclass
class RateResult:
    rate: float
    seconds: float
    sent: int = 0
    errors: int = 0  # error statuses, broken connections, and requests still unanswered at the end
    answered: int = 0  # successful answers
    elapsed: float = 0.0  # from the first send to the last answer (or the end of the wait)
    latencies: dict[str, list[float]] = field(default_factory=dict)  # per request name, in seconds
    send_lag: list[float] = field(default_factory=list)

    def percentile(self, name: str | None, q: float) -> float:
        values = [v for k, vs in self.latencies.items() if name in (None, k) for v in vs]
        return float(np.percentile(values, q)) * 1000 if values else float("nan")

    @property
    def achieved(self) -> float:
        """Successful answers per second of the run: below the offered rate when the server fell behind."""
        return self.answered / self.elapsed if self.elapsed else 0.0


class _Pool:
    def __init__(self, host: str, port: int, limit: int):
        self.host, self.port, self.limit = host, port, limit
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self.open = 0
        self.freed = asyncio.Condition()

    async def get(self):
        while True:
            if self.idle:
                return self.idle.pop()
            if self.open < self.limit:
                self.open += 1
                try:
                    return await asyncio.open_connection(self.host, self.port)
                except OSError:
                    self.open -= 1
                    raise
            async with self.freed:
                await self.freed.wait()

    async def put(self, conn, reusable: bool) -> None:
        if reusable:
            self.idle.append(conn)
        else:
            self.open -= 1
            conn[1].close()
        async with self.freed:
            self.freed.notify()

    def close(self) -> None:
        for _, writer in self.idle:
            writer.close()


async def _exchange(conn, raw: bytes) -> tuple[int, bool]:
    """Send one request, read the whole answer; (status, connection reusable)."""
    reader, writer = conn
    writer.write(raw)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length, keep = 0, True
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value.strip())
        elif name == "connection" and value.strip().lower() == "close":
            keep = False
    if length:
        await reader.readexactly(length)
    return status, keep


async def _run(host: str, port: int, mix: list[Request], rate: float, seconds: float,
               max_connections: int, seed: int) -> RateResult:
    result = RateResult(rate=rate, seconds=seconds, latencies={r.name: [] for r in mix})
    pool = _Pool(host, port, max_connections)
    weights = [r.share for r in mix]
    rng = random.Random(seed)
    tasks: set[asyncio.Task] = set()

    async def one(index: int, raw: bytes, due: float) -> None:
        try:
            conn = await pool.get()
        except OSError:
            result.errors += 1
            return
        keep, ok = False, False
        try:
            status, keep = await asyncio.wait_for(_exchange(conn, raw), timeout=10)
            ok = status < 400
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError):
            pass
        finally:
            await pool.put(conn, keep)
        if ok:  # only answers: a fast failure must not pull the percentiles down
            result.answered += 1
            result.latencies[mix[index].name].append(time.perf_counter() - due)
        else:
            result.errors += 1

    start = time.perf_counter()
    n = int(rate * seconds)
    for i in range(n):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        result.send_lag.append(max(0.0, time.perf_counter() - due))
        index = rng.choices(range(len(mix)), weights)[0]
        task = asyncio.create_task(one(index, rng.choice(mix[index].raws), due))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        result.sent += 1
    if tasks:
        _, late = await asyncio.wait(tasks, timeout=15)
        result.errors += len(late)  # never answered: counted, not silently dropped
        for task in late:
            task.cancel()
    result.elapsed = time.perf_counter() - start
    pool.close()
    return result


def run_open_loop(url: str, mix: list[Request], rate: float, seconds: float, *, max_connections: int = 256,
                  seed: int = 0) -> RateResult:
    """Offer `rate` requests/s of `mix` for `seconds` to `url` (http://host:port)."""
    host, port = url.removeprefix("http://").split(":")
    return asyncio.run(_run(host, int(port), mix, rate, seconds, max_connections, seed))
