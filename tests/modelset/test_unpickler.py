"""The allow-list: what our artifacts need loads, the well-known pickle gadgets never do."""
from __future__ import annotations

import io

import joblib
import numpy as np
import pytest
from pertinent.errors import ModelSetError
from pertinent.modelset.unpickler import allowed_global, restricted_load

from .attacks import RunsCommand
from .helpers import popularity


@pytest.mark.parametrize("module,name", [
    ("os", "system"), ("posix", "system"), ("subprocess", "Popen"), ("builtins", "eval"),
    ("builtins", "exec"), ("builtins", "getattr"), ("builtins", "__import__"), ("builtins", "open"),
    ("numpy", "load"), ("numpy", "memmap"), ("numpy", "fromfile"), ("numpy.lib.npyio", "NpzFile"),
    ("pandas", "read_pickle"), ("pandas", "eval"), ("pandas", "HDFStore"), ("pandas.io.pytables", "HDFStore"),
    ("joblib", "load"), ("joblib.numpy_pickle", "load"), ("sklearn.utils", "os.system"),
    ("sklearn.utils._testing", "TempMemmap"), ("pertinent.modelset.writer", "promote"),
    ("pertinent.demo_command", "stop"), ("pertinent.recsys.baseline", "os"),
])
def test_gadgets_are_refused(module, name):
    with pytest.raises(ModelSetError) as exc:
        allowed_global(module, name)
    assert exc.value.code == "forbidden_global"


def _dumps(obj) -> bytes:
    buffer = io.BytesIO()
    joblib.dump(obj, buffer)
    return buffer.getvalue()


def test_our_models_and_arrays_load():
    model = restricted_load(_dumps(popularity()))
    assert type(model).__name__ == "PopularityRecommender"
    objects = np.array(["a", None], dtype=object)
    arrays = restricted_load(_dumps({"dense": np.arange(5.0), "objects": objects}))
    assert arrays["dense"].tolist() == [0.0, 1.0, 2.0, 3.0, 4.0] and arrays["objects"].tolist() == ["a", None]


def test_a_payload_inside_an_object_array_is_refused(tmp_path):
    """joblib reads object arrays with a nested unpickler: it must go through the same allow-list."""
    marker = tmp_path / "marker"
    hidden = np.empty(1, dtype=object)
    hidden[0] = RunsCommand(marker)
    with pytest.raises(ModelSetError) as exc:
        restricted_load(_dumps({"weights": hidden}))
    assert exc.value.code == "forbidden_global" and not marker.exists()
