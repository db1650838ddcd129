"""Experiments against the default content: definition, sticky assignment, statistics, reports, canary."""
