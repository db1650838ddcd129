"""Pertinent: the personalization sidecar. The app factory lives here (filled in by the HTTP layer)."""
