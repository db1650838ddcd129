"""CLI: `pertinent train`, `pertinent evaluate`, `pertinent recommend` (registered into pertinent.cli)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from .io import TrainingInputError

# These errors are the user's input, not our bug: one line, exit 2, no traceback.
EXIT_INPUT = 2


def _models_dir(args) -> Path:
    if args.models:
        return Path(args.models)
    from ..config import load_config

    return load_config().models_dir


def _fail(message: str) -> int:
    print(f"pertinent: {message}", file=sys.stderr)
    return EXIT_INPUT


def _guarded(run):
    """Run a command; input and data errors print `path:line:column: message` and exit 2."""
    def wrapper(args) -> int:
        from ..errors import ModelSetError
        from .pipeline import TrainingDataError
        from .wordpress import WordPressError

        try:
            return run(args)
        except TrainingInputError as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_INPUT
        except (TrainingDataError, WordPressError) as exc:
            return _fail(str(exc))
        except ModelSetError as exc:
            return _fail(f"model set: {exc.message}")
    return wrapper


def cmd_train(args) -> int:
    """Train from files, WordPress + files, or the sidecar's store; print progress or --json."""
    from .pipeline import train_from_files, train_from_store

    progress = (lambda line: print(line, file=sys.stderr, flush=True)) if args.json else \
        (lambda line: print(line, flush=True))
    options = dict(force=args.force, progress=progress, seed=args.seed, k=args.k, margin=args.margin,
                   live_margin=args.live_margin)
    items = None
    if args.from_wordpress:
        from .wordpress import fetch_catalog

        items = fetch_catalog(args.from_wordpress, progress=progress)
    if args.events:
        if not (args.content or items is not None):
            return _fail("--events needs --content FILE or --from-wordpress URL for the catalog")
        result = train_from_files(args.events, args.content, _models_dir(args), content_items=items,
                                  **options)
    else:
        from ..config import load_config
        from ..store import open_store

        store = open_store(load_config().resolved_store_url)
        try:
            if items is not None:
                store.upsert_content(items)
            result = train_from_store(store, _models_dir(args), **options)
        finally:
            store.close()
    skipped = _skipped(result.path)
    if args.json:
        print(json.dumps({**result.to_dict(), "skipped_models": skipped}, default=str, indent=2))
    else:
        for note in skipped:
            print(f"skipped model {note}")
        print(f"model set {result.version}: {'promoted' if result.promoted else 'kept back'} "
              f"({result.gate['reason']}); report: {result.path / 'report.html' if result.path else '-'}")
    return 0


def _skipped(path) -> list[str]:
    """The classifiers a written set could not learn from its data (see training.shape)."""
    from ..modelset.manifest import MANIFEST_NAME
    from .shape import skipped_models

    try:
        manifest = json.loads((Path(path) / MANIFEST_NAME).read_text()) if path else {}
    except (OSError, ValueError):
        return []
    return skipped_models(manifest.get("hyperparameters") or {})


def _load_inputs(args):
    from .io import InputReport, read_content, read_events

    report = InputReport()
    items = read_content(args.content, report)
    return read_events(args.events, {i.id for i in items}, report), items


def _resolve_set(args) -> Path:
    from ..modelset.manifest import MANIFEST_NAME
    from ..modelset.writer import LIVE_FILE, live_version

    models = _models_dir(args)
    if (models / MANIFEST_NAME).exists():
        return models
    version = args.version or live_version(models)
    if not version:
        from ..errors import ModelSetError

        raise ModelSetError("no_live_set", f"none is live in {models} (no {LIVE_FILE} file): "
                            "train one first, or pass --version")
    return models / version


def cmd_evaluate(args) -> int:
    from .evaluate import evaluate_model_set

    events, items = _load_inputs(args)
    result = evaluate_model_set(_resolve_set(args), events, items, k=args.k)
    if args.json:
        print(json.dumps(result, default=str, indent=2))
        return 0
    print(f"model set {result['version']} on the last 15% of {args.events}:")
    if result.get("warning"):
        print(f"  warning: {result['warning']}")
    for name, block in (("model", result["metrics"]), ("baseline", result["baseline_metrics"])):
        for key, value in block.items():
            shown = value.get("overall", value)
            print(f"  {name:8} {key:20} " + ", ".join(f"{m}={v:.4f}" for m, v in shown.items()
                                                      if isinstance(v, float)))
    return 0


def cmd_recommend(args) -> int:
    from ..modelset.loader import load_model_set
    from .batch import read_visitor_ids, recommend_lines
    from .io import read_events

    if args.format != "jsonl":
        return _fail(f"--format {args.format}: only jsonl is supported")
    ms = load_model_set(_resolve_set(args))
    if ms.recommender is None:
        return _fail(f"model set {ms.version} has no recommender")
    events = read_events(args.events)
    visitors = read_visitor_ids(args.visitors)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        for line in recommend_lines(ms.recommender, events, visitors, args.k,
                                    exclude_seen=args.exclude_seen):
            out.write(line + "\n")
    finally:
        if args.output:
            out.close()
    return 0


def _positive(text: str) -> int:
    """An argparse type: a whole number of at least 1 (a cut-off k of 0 divides by zero in every metric)."""
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not at least 1")
    return value


def register(subparsers) -> None:
    """Add train, evaluate and recommend to the `pertinent` argparse CLI."""
    train = subparsers.add_parser("train", help="train, validate and (if it passes the gate) promote a set")
    train.add_argument("--events", help="events CSV/Parquet (default: the sidecar's store)")
    train.add_argument("--content", help="content CSV/Parquet (with --events)")
    train.add_argument("--from-wordpress", metavar="URL", help="pull the catalog from a WordPress REST API")
    train.add_argument("--models", help="model sets folder (default: PERTINENT_MODELS_DIR)")
    train.add_argument("--force", action="store_true", help="promote even if the gate fails (first set)")
    train.add_argument("--json", action="store_true", help="print the result and metrics as JSON")
    train.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    train.add_argument("--k", type=_positive, default=10, help="ranking cut-off k (default 10)")
    train.add_argument("--margin", type=float, default=0.05,
                       help="relative margin the ranking must beat the popularity baseline by (default 0.05)")
    train.add_argument("--live-margin", type=float, default=0.0,
                       help="relative margin the ranking must beat the live set by (default 0)")
    train.set_defaults(func=_guarded(cmd_train))

    evaluate = subparsers.add_parser("evaluate", help="evaluate an existing model set on events and content")
    evaluate.add_argument("--models", help="a model set folder, or the models folder (its LIVE set)")
    evaluate.add_argument("--version", help="a version in the models folder (default: LIVE)")
    evaluate.add_argument("--events", required=True)
    evaluate.add_argument("--content", required=True)
    evaluate.add_argument("--k", type=_positive, default=10)
    evaluate.add_argument("--json", action="store_true")
    evaluate.set_defaults(func=_guarded(cmd_evaluate))

    rec = subparsers.add_parser("recommend", help="batch recommendations, one JSON line per visitor")
    rec.add_argument("--models", help="a model set folder, or the models folder (its LIVE set)")
    rec.add_argument("--version", help="a version in the models folder (default: LIVE)")
    rec.add_argument("--events", required=True, help="events file holding the visitors' histories")
    rec.add_argument("--visitors", required=True, help="visitor ids, one per line (or CSV with visitor_id)")
    rec.add_argument("--k", type=_positive, default=10)
    rec.add_argument("--exclude-seen", action="store_true", help="never recommend what the visitor has seen")
    rec.add_argument("--format", default="jsonl", help="output format (jsonl)")
    rec.add_argument("--output", help="write to a file instead of stdout")
    rec.set_defaults(func=_guarded(cmd_recommend))
