"""The artifact roles the decision core knows and the protocol each must implement."""
from __future__ import annotations

from ..errors import ModelSetError
from .protocols import Recommender, RiskScorer, VariantScorer

ROLE_PROTOCOLS = {"recommender": Recommender, "variant_scorer": VariantScorer, "risk": RiskScorer}


def check_role(role: str, obj: object) -> None:
    """Raise ModelSetError(bad_artifact) when a known role's object lacks its protocol's methods."""
    protocol = ROLE_PROTOCOLS.get(role)
    if protocol is not None and not isinstance(obj, protocol):
        raise ModelSetError("bad_artifact", f"artifact {role!r} ({type(obj).__name__}) does not implement "
                                            f"{protocol.__name__}")
