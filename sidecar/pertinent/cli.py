"""The `pertinent` command: serve, demo, and the training commands when that part is installed."""
from __future__ import annotations

import argparse
import os
import secrets
import sys

from .demo_command import note_when_demo_runs
from .errors import ConfigError


def cmd_serve(args) -> int:
    """Validate the configuration, then run the sidecar under gunicorn until stopped."""
    from .config import load_config
    from .serve import run

    if args.insecure_dev_key and not os.environ.get("PERTINENT_API_KEY"):
        key = secrets.token_urlsafe(24)
        os.environ["PERTINENT_API_KEY"] = key
        print(f"pertinent: development API key (not for production): {key}", flush=True)
    config = load_config()
    if not config.api_key:
        print("pertinent: PERTINENT_API_KEY is not set; refusing to start without one "
              "(use --insecure-dev-key to generate a throwaway key for development)", file=sys.stderr)
        return 2
    if args.workers is not None and args.workers < 1:
        raise ConfigError(f"--workers {args.workers}: expected at least 1")
    if args.threads < 1:
        raise ConfigError(f"--threads {args.threads}: expected at least 1")
    run(config, host=args.host, port=args.port, workers=args.workers, threads=args.threads)
    return 0


def cmd_demo(args) -> int:
    """Start (or, with --stop, stop) the demo sidecar in the background."""
    from . import demo_command

    if args.stop:
        return demo_command.stop()
    return demo_command.start(port=args.port, rebuild=args.rebuild)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pertinent", description="Pertinent personalization sidecar.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    serve = sub.add_parser("serve", help="serve the HTTP API under gunicorn")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to bind (default 8000)")
    serve.add_argument("--workers", type=int, default=None, help="worker processes (default: the core count)")
    serve.add_argument("--threads", type=int, default=4,
                       help="threads per worker (default 4; 1 gives sync workers without keep-alive)")
    serve.add_argument("--insecure-dev-key", action="store_true",
                       help="generate and print a throwaway API key when PERTINENT_API_KEY is not set")
    serve.set_defaults(func=cmd_serve)

    demo = sub.add_parser("demo", help="generate the demo site, train, start the sidecar in the background")
    demo.add_argument("--stop", action="store_true", help="stop the demo sidecar")
    demo.add_argument("--rebuild", action="store_true", help="regenerate the demo data and retrain")
    demo.add_argument("--port", type=int, default=8000, help="port of the demo sidecar (default 8000)")
    demo.set_defaults(func=cmd_demo)

    try:  # train, evaluate, recommend: provided by the training part when it is present
        from .training.commands import register
    except ImportError:
        register = None
    if register is not None:
        register(sub)
    from . import ingest, migrate_command, report, worker
    from .experiments import commands as experiment_commands
    from .modelset import commands as model_commands

    # the closed loop: worker, report, experiments; and signing the model sets it serves
    for part in (worker, report, experiment_commands, model_commands, migrate_command, ingest):
        part.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; a bad setting is reported by name with exit status 2, never as a traceback."""
    args = build_parser().parse_args(argv)
    note_when_demo_runs(args)
    try:
        return args.func(args) or 0
    except ConfigError as exc:
        print(f"pertinent: configuration error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
