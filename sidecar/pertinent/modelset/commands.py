"""`pertinent models sign|verify DIR...`: vouch for a model set with this install's key, or check one.

Signing is how an operator says "I trust these files": the trainer signs what it writes; the shipped
demo set (models/) is signed by no key anyone else holds, so an install signs it once to serve it.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ..errors import ModelSetError


def register(sub) -> None:
    parser = sub.add_parser("models", help="sign model sets with this install's key, or verify them")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    sign = actions.add_parser("sign", help="(re-)sign model set folders with the current signing key "
                                           "(checks files and types first; unpickles nothing)")
    sign.add_argument("folders", nargs="+", metavar="DIR")
    verify = actions.add_parser("verify", help="check signature, files and types, then load each set "
                                               "through the restricted unpickler")
    verify.add_argument("folders", nargs="+", metavar="DIR")
    parser.set_defaults(func=cmd_models)


def _set_folder(raw: str) -> Path:
    """A model set folder, or a models folder standing for the set its LIVE file names."""
    from .writer import live_version

    folder = Path(raw)
    if not (folder / "manifest.json").exists() and live_version(folder):
        return folder / live_version(folder)
    return folder


def cmd_models(args) -> int:
    from .keys import default_keyring
    from .loader import load_model_set
    from .writer import sign_model_set

    keyring = default_keyring()
    failed = 0
    for raw in args.folders:
        folder = _set_folder(raw)
        try:
            if args.action == "sign":
                manifest = sign_model_set(folder, keyring)
                outcome = {"signed": str(folder), "key_id": manifest["signature"]["key_id"]}
            else:
                model_set = load_model_set(folder, keyring)
                outcome = {"verified": str(folder), "key_id": model_set.manifest["signature"]["key_id"],
                           "artifacts": sorted(model_set.artifacts)}
        except ModelSetError as exc:
            failed += 1
            outcome = {"refused": str(folder), "code": exc.code, "reason": exc.message}
        print(json.dumps(outcome), file=sys.stdout if "refused" not in outcome else sys.stderr)
    return 1 if failed else 0
