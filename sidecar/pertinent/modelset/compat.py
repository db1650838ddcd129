"""Which model sets this process may unpickle: same Python minor, scikit-learn minor and numpy major."""
from __future__ import annotations

from ..errors import ModelSetError
from .manifest import library_versions

# (library, how many leading version parts must match). Pickles of scikit-learn estimators are only
# supported within one minor release; numpy changes its pickled array layout across majors.
RULES = (("python", 2), ("scikit-learn", 2), ("numpy", 1))


def _parts(version: str, n: int) -> tuple[str, ...]:
    return tuple(str(version).split("+")[0].split(".")[:n])


def incompatibilities(libraries: dict, running: dict | None = None) -> list[str]:
    """Human descriptions of every library whose recorded version cannot be loaded here."""
    running = running or library_versions()
    problems = []
    for name, n in RULES:
        recorded = libraries.get(name)
        if recorded is None:
            problems.append(f"{name}: not recorded in the manifest")
        elif _parts(recorded, n) != _parts(running.get(name, ""), n):
            problems.append(f"{name}: built with {recorded}, running {running.get(name)}")
    return problems


def check_compatible(libraries: dict, running: dict | None = None) -> None:
    """Raise ModelSetError(incompatible_library) when the set was built with incompatible libraries."""
    problems = incompatibilities(libraries, running)
    if problems:
        raise ModelSetError("incompatible_library", "incompatible model set: " + "; ".join(problems))
