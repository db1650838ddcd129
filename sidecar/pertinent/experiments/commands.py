"""`pertinent experiment start|list|stop|report`: the experiments API from the command line."""
from __future__ import annotations

import json

from ..errors import PertinentError


def register(sub) -> None:
    parser = sub.add_parser("experiment", help="start, list, stop experiments and read their reports")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    start = actions.add_parser("start", help="start an experiment (one runs at a time)")
    start.add_argument("name")
    start.add_argument("--arms", default="control=0.5,model=0.5",
                       help="arm=share pairs from control, rules, model (default control=0.5,model=0.5)")
    start.add_argument("--slots", default="", help="comma-separated slot names (default: every slot)")
    start.add_argument("--min-impressions", type=int, default=None, help="per arm, before a verdict")
    actions.add_parser("list", help="every experiment, newest first")
    for name, text in (("stop", "stop an experiment"), ("report", "per-arm results and verdict (JSON)")):
        action = actions.add_parser(name, help=text)
        action.add_argument("experiment_id")
    parser.set_defaults(func=cmd_experiment)


def cmd_experiment(args) -> int:
    from ..config import load_config
    from ..runtime import Runtime
    from .book import ExperimentBook
    from .report import experiment_report

    config = load_config()
    runtime = Runtime.from_config(config)
    book = ExperimentBook(runtime.store, cache_seconds=0)
    try:
        if args.action == "start":
            body = {"name": args.name, "arms": _arms(args.arms),
                    "slots": [s.strip() for s in args.slots.split(",") if s.strip()]}
            if args.min_impressions is not None:
                body["min_impressions"] = args.min_impressions
            created = book.create(body, default_min=config.experiment_min_impressions)
            print(json.dumps(created.to_doc(), indent=2))
        elif args.action == "list":
            for e in book.list():
                print(f"{e.id}  {e.status:<8} {e.created_at:%Y-%m-%d %H:%M}  {e.name}  "
                      + ", ".join(f"{arm} {share:.0%}" for arm, share in e.arms.items()))
        elif args.action == "stop":
            print(json.dumps(book.stop(args.experiment_id).to_doc(), indent=2))
        else:
            print(json.dumps(experiment_report(runtime.store, book.get(args.experiment_id)), indent=2))
    except PertinentError as exc:
        print(f"pertinent: {exc.message}")
        return 1
    finally:
        runtime.close()
    return 0


def _arms(text: str) -> dict:
    """'control=0.5,model=0.5' -> {"control": 0.5, "model": 0.5}; validation happens in new_experiment."""
    arms = {}
    for part in text.split(","):
        name, _, share = part.partition("=")
        try:
            arms[name.strip()] = float(share)
        except ValueError:
            arms[name.strip()] = share
    return arms
