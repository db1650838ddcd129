"""`make bench`: performance numbers, printed (never a pass/fail on speed)."""
