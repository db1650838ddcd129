"""Recommenders and scorers that model sets carry: fitted on events and catalog, saved with joblib."""
