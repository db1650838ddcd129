"""What can go wrong talking to the sidecar: its JSON error, or no usable answer at all."""
from __future__ import annotations


class PertinentError(Exception):
    """The sidecar refused the request: HTTP status, error code, the field at fault and its message."""

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None,
                 field: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.field = field

    def __str__(self) -> str:
        where = f" (field {self.field})" if self.field else ""
        return f"{self.status or '-'} {self.code or 'error'}: {self.message}{where}"


class PertinentUnavailable(PertinentError):
    """No usable answer: connection refused, timeout, or the sidecar said it is temporarily unavailable.

    A page catching this keeps its default content; it is a PertinentError, so one except clause covers both.
    """


def from_response(response) -> PertinentError:
    """The exception for a non-2xx answer, from the sidecar's {"error": {...}} body when it has one."""
    try:
        body = response.json().get("error") or {}
    except (ValueError, AttributeError):
        body = {}
    if not isinstance(body, dict):
        body = {}
    message = body.get("message") or (response.text or response.reason or "").strip()[:200] or "no message"
    kind = PertinentUnavailable if response.status_code in (502, 503, 504) else PertinentError
    return kind(message, status=response.status_code, code=body.get("code") or f"http_{response.status_code}",
                field=body.get("field"))
