"""The demo site: a seeded generator of a realistic catalog and of visitors browsing it (generator.py)."""
