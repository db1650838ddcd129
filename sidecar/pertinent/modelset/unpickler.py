"""Unpickle an artifact with an allow-list of globals, so even a signed pickle cannot import os.

A pickle can call any global it names, with arguments of its choosing. joblib.load uses a plain
pickle Unpickler (joblib's NumpyUnpickler, which reads numpy arrays stored after the pickle
stream); this subclass routes every global through `allowed_global`, including the nested pickles
joblib reads for object arrays. Functions are never allowed by package, only by exact name:
numpy.load, pandas.read_pickle, joblib.load and pandas.eval live in packages we otherwise need.
"""
from __future__ import annotations

import importlib
import io
import pickle

from joblib.numpy_pickle import NumpyUnpickler

from ..errors import ModelSetError

# Reconstruction helpers and small built-in types our artifacts (or numpy, pandas, datetime) pickle.
EXACT_GLOBALS = frozenset({
    *(("builtins", n) for n in ("set", "frozenset", "slice", "complex", "bytearray", "bytes", "list",
                                "dict", "tuple", "int", "float", "str", "bool", "range", "object")),
    ("copyreg", "_reconstructor"),
    *(("collections", n) for n in ("OrderedDict", "defaultdict", "Counter", "deque")),
    *(("datetime", n) for n in ("date", "datetime", "time", "timedelta", "timezone")),
    ("joblib.numpy_pickle", "NumpyArrayWrapper"),
    *((m, n) for m in ("numpy._core.multiarray", "numpy.core.multiarray")
      for n in ("_reconstruct", "scalar")),
    *((m, "_frombuffer") for m in ("numpy._core.numeric", "numpy.core.numeric")),
    *(("numpy.random._pickle", n)
      for n in ("__bit_generator_ctor", "__generator_ctor", "__randomstate_ctor")),
    # pandas names its public classes `pandas.X` (HDFStore and ExcelWriter too): these, not the module.
    *(("pandas", n) for n in ("DataFrame", "Series", "Index", "RangeIndex", "DatetimeIndex", "MultiIndex",
                              "CategoricalIndex", "Categorical", "CategoricalDtype", "StringDtype",
                              "Timestamp", "Timedelta", "DatetimeTZDtype")),
    ("pandas._libs.internals", "_unpickle_block"),
    ("pandas._libs.tslibs.timestamps", "_unpickle_timestamp"),
    ("pandas._libs.tslibs.timedeltas", "_timedelta_unpickle"),
    ("pandas.core.indexes.base", "_new_Index"),
    ("pandas.core.indexes.datetimes", "_new_DatetimeIndex"),
})
# Classes (never functions) defined in these modules may be named. A class's constructor only stores
# its arguments in these libraries (scikit-learn's own contract); the exceptions are denied below.
CLASS_MODULE_PREFIXES = ("numpy", "scipy.sparse.", "sklearn.", "pandas.core.frame", "pandas.core.series",
                         "pandas.core.indexes.", "pandas.core.internals.", "pandas.core.arrays.",
                         "pandas.core.dtypes.", "pandas._libs.", "pertinent.recsys.")
# numpy.memmap opens (and with mode w+ creates) a file; scikit-learn's test helpers make temp files.
DENIED_CLASS_PREFIXES = ("numpy.memmap", "numpy.lib", "numpy.ctypeslib", "numpy.testing", "numpy.f2py",
                         "numpy.distutils", "sklearn.utils._testing", "sklearn.datasets")
# Cython's generated reconstructors (`__pyx_unpickle_<Class>`) only rebuild that class from state.
CYTHON_RECONSTRUCTOR_PREFIXES = ("numpy.", "scipy.sparse.", "sklearn.", "pandas._libs.")

_trusted: set[tuple[str, str]] = set()


def trust_class(cls: type) -> type:
    """Allow one more class (test fixtures): code already running here may extend the list, files never."""
    _trusted.add((cls.__module__, cls.__qualname__))
    return cls


def _under(module: str, prefixes) -> bool:
    return any(module == p.rstrip(".") or module.startswith(p if p.endswith(".") else p + ".")
               for p in prefixes)


def _denied(cls: type) -> bool:
    """A denied class, or a subclass of one (a subclass of numpy.memmap opens files just the same)."""
    return any(_under(f"{c.__module__}.{c.__qualname__}", DENIED_CLASS_PREFIXES) for c in cls.__mro__)


def allowed_global(module: str, name: str):
    """The object a pickle may name as module.name, or ModelSetError(forbidden_global)."""
    refused = ModelSetError("forbidden_global",
                            f"the artifact names {module!r}.{name!r}, which is not allowed")
    if not isinstance(module, str) or not isinstance(name, str) or "." in name:
        raise refused  # a dotted name would walk attributes: sklearn.utils.os.system
    exact = (module, name) in EXACT_GLOBALS or (module, name) in _trusted
    cython = name.startswith("__pyx_unpickle_") and _under(module, CYTHON_RECONSTRUCTOR_PREFIXES)
    by_package = not name.startswith("__") and _under(module, CLASS_MODULE_PREFIXES)
    if not (exact or cython or by_package) or _under(module, DENIED_CLASS_PREFIXES):
        raise refused  # checked before importing: importing a module runs its code
    try:
        obj = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        raise ModelSetError("forbidden_global",
                            f"the artifact names {module}.{name}, which does not exist") from None
    if exact or cython:
        return obj
    # By package: only classes, defined (not merely imported) under an allowed prefix, none denied.
    if not isinstance(obj, type) or not _under(obj.__module__, CLASS_MODULE_PREFIXES) or _denied(obj):
        raise refused
    return obj


class RestrictedUnpickler(NumpyUnpickler):
    """joblib's unpickler with every global checked against the allow-list."""

    def find_class(self, module, name):
        return allowed_global(module, name)

    def persistent_load(self, pid):
        raise pickle.UnpicklingError("persistent ids are not allowed in a model artifact")


def restricted_load(data: bytes):
    """Unpickle joblib bytes (uncompressed, as the writer stores them) through the allow-list."""
    return RestrictedUnpickler("", io.BytesIO(data), ensure_native_byte_order=True).load()
