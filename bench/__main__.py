"""`python -m bench [NAME ...]`: run every bench/<name>.py that has a run(), or only the ones named."""
from __future__ import annotations

import importlib
import pkgutil
import sys
import time
import traceback
from pathlib import Path

FIRST = ("decide",)  # the headline numbers first; the rest alphabetically


def discover() -> list[str]:
    """Module names under bench/ (helpers start with an underscore and are skipped)."""
    names = [m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if not m.name.startswith("_")]
    return sorted(names, key=lambda n: (n not in FIRST, FIRST.index(n) if n in FIRST else 0, n))


def main(argv: list[str]) -> int:
    available = discover()
    wanted = argv or available
    unknown = [n for n in wanted if n not in available]
    if unknown:
        print(f"bench: no such benchmark {', '.join(unknown)}; available: {', '.join(available)}",
              file=sys.stderr)
        return 2
    failed = []
    for name in wanted:
        module = importlib.import_module(f"bench.{name}")
        if not hasattr(module, "run"):
            continue
        print(f"\n=== bench {name} ===", flush=True)
        started = time.monotonic()
        try:
            module.run()
        except Exception:  # one broken benchmark must not hide the others' numbers
            traceback.print_exc()
            failed.append(name)
        print(f"=== bench {name}: {time.monotonic() - started:.0f}s ===", flush=True)
    if failed:
        print(f"bench: failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
