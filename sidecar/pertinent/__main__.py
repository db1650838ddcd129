"""`python -m pertinent ...` is the `pertinent` command."""
from .cli import main

raise SystemExit(main())
