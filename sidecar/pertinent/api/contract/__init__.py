"""The API's contract: pydantic models of request bodies (validation and /openapi.json come from them)."""
