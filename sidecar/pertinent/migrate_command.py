"""`pertinent migrate status|up`: the store's schema version, and bringing it to this release's.

The sidecar upgrades at start by itself; this is for looking first, or upgrading before a rollout.
"""
from __future__ import annotations

import sys


def register(sub) -> None:
    """`pertinent migrate status` and `pertinent migrate up` on the CLI's subcommands."""
    parser = sub.add_parser("migrate", help="show or upgrade the store's schema version")
    actions = parser.add_subparsers(dest="migrate_action", metavar="ACTION", required=True)
    status = actions.add_parser("status", help="current and target version, pending steps")
    status.set_defaults(func=cmd_status)
    up = actions.add_parser("up", help="apply the pending steps, each in its own transaction")
    up.set_defaults(func=cmd_up)


def _store():
    from .config import load_config
    from .store import open_store

    return open_store(load_config().resolved_store_url)


def _run(action) -> int:
    """A store that cannot be reached is one line on stderr and exit status 1, never a traceback."""
    from .store import StoreUnavailable

    store = _store()
    try:
        return action(store)
    except StoreUnavailable as exc:
        print(f"pertinent: {exc}", file=sys.stderr)
        return 1
    except store.outage_errors as exc:
        print(f"pertinent: store {store._redacted()} is not reachable: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()


def cmd_status(args) -> int:
    from .store import migrations

    def show(store) -> int:
        state = migrations.status(store)
        print(f"store:   {store._redacted()}")
        print(f"current: {state.current}")
        print(f"target:  {state.target}")
        if state.current > state.target:
            print("the database is newer than this release: upgrade Pertinent")
            return 1
        for step in state.pending:
            print(f"pending: {step.version} {step.description}")
        if not state.pending:
            print("up to date")
        return 0

    return _run(show)


def cmd_up(args) -> int:
    from .store import migrations

    def up(store) -> int:
        applied = migrations.upgrade(store)
        for step in applied:
            print(f"applied: {step.version} {step.description}")
        print(f"version: {migrations.status(store).current}" + ("" if applied else " (already up to date)"))
        return 0

    return _run(up)
