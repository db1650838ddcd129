"""Monitoring: data and prediction drift of live traffic against the live model set's training window."""
