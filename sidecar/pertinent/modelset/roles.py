"""The artifact roles the decision core knows, the protocol each must implement, and declared types.

A manifest declares each artifact's type ("module:QualName"). Before unpickling, the loader checks the
role is known and the declared class is allowed and implements the role's protocol; after, that the
object really is of that class. A signed set therefore cannot swap a model for another kind of object.
"""
from __future__ import annotations

from ..errors import ModelSetError
from .protocols import Recommender, RiskScorer, VariantScorer
from .unpickler import allowed_global

ROLE_PROTOCOLS = {"recommender": Recommender, "variant_scorer": VariantScorer, "risk": RiskScorer}


def declared_type(obj: object) -> str:
    """How the manifest names an artifact's class."""
    return f"{type(obj).__module__}:{type(obj).__qualname__}"


def check_role(role: str, obj: object) -> None:
    """Raise ModelSetError(bad_artifact) unless the role is known and the object implements its protocol."""
    protocol = ROLE_PROTOCOLS.get(role)
    if protocol is None:
        raise ModelSetError("unknown_role", f"artifact role {role!r} is not one of {sorted(ROLE_PROTOCOLS)}")
    if not isinstance(obj, protocol):
        raise ModelSetError("bad_artifact", f"artifact {role!r} ({type(obj).__name__}) does not implement "
                                            f"{protocol.__name__}")


def required_class(role: str, type_name: object) -> type:
    """The class a manifest entry declares, once it is known to be allowed and to fit its role."""
    protocol = ROLE_PROTOCOLS.get(role)
    if protocol is None:
        raise ModelSetError("unknown_role", f"artifact role {role!r} is not one of {sorted(ROLE_PROTOCOLS)}")
    module, _, name = str(type_name).partition(":")
    cls = allowed_global(module, name)
    if not isinstance(cls, type) or not issubclass(cls, protocol):
        raise ModelSetError("wrong_type", f"artifact {role!r} declares {type_name}, which is not a "
                                          f"{protocol.__name__}")
    return cls


def check_loaded_type(role: str, obj: object, cls: type) -> None:
    """The unpickled object must be exactly the declared class, not whatever the pickle built."""
    if type(obj) is not cls:
        raise ModelSetError("wrong_type", f"artifact {role!r} declares {cls.__module__}:{cls.__qualname__} "
                                          f"but holds {declared_type(obj)}")
