"""One error type for everything a client can get wrong, mapped to a JSON body by one handler."""
from __future__ import annotations


class PertinentError(Exception):
    """A domain error with a stable code, an HTTP status and, where it applies, the field at fault."""

    status = 400

    def __init__(self, code: str, message: str, *, field: str | None = None, status: int | None = None,
                 details: dict | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.details = details or {}
        if status is not None:
            self.status = status

    def to_dict(self) -> dict:
        """The JSON body clients see: code, message and field; never a stack trace."""
        body: dict[str, object] = {"code": self.code, "message": self.message}
        if self.field is not None:
            body["field"] = self.field
        if self.details:
            body["details"] = self.details
        return {"error": body}


class ValidationError(PertinentError):
    """A request body or parameter that does not fit the schema (422) or cannot be parsed (400)."""

    status = 422


class NotFound(PertinentError):
    status = 404


class Unauthorized(PertinentError):
    status = 401


class Forbidden(PertinentError):
    status = 403


class ConfigError(Exception):
    """A bad environment variable, named in the message, raised at start so nothing half-starts."""


class ModelSetError(Exception):
    """A model set that must not be loaded: checksum mismatch, missing file, incompatible library."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
