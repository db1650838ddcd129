"""What the decision core reads of the process's runtime, as a Protocol.

The core takes the runtime as a parameter and never imports `pertinent.runtime` (which imports this
package's catalog view); annotating that parameter with this Protocol lets a type checker follow it.
`Runtime` satisfies it structurally, and a test may pass any object with these fields.
"""
from __future__ import annotations

from typing import Protocol

from ..cache.base import Cache
from ..config import Config
from ..modelset.registry import ModelRegistry
from ..monitoring.traffic import TrafficCounter
from ..store.base import Store
from .catalog import CatalogView


class DecisionRuntime(Protocol):
    """The long-lived parts a decide reads: settings, history, cached answers, model sets, catalog."""

    config: Config
    store: Store
    cache: Cache
    models: ModelRegistry
    catalog: CatalogView
    traffic: TrafficCounter
