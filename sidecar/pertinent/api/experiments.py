"""Experiments (create, list, stop, report) and the dashboard summary: server key only."""
from __future__ import annotations

from flask import Blueprint

from ..auth import ADMIN, access
from ..experiments.book import ExperimentBook
from ..experiments.report import experiment_report
from ..monitoring.summary import build_summary
from . import runtime, settings
from .body import read_json
from .contract.types import check_id

bp = Blueprint("experiments", __name__)


def _book() -> ExperimentBook:
    # A fresh book per request: the admin routes must see what other replicas just wrote.
    return ExperimentBook(runtime().store, cache_seconds=0)


@bp.post("/v1/experiments")
@access(ADMIN)
def create_experiment():
    """Start an experiment: {"name", "arms": {"control": 0.5, "model": 0.5}, "slots", "min_impressions"}."""
    experiment = _book().create(read_json(), default_min=settings().experiment_min_impressions)
    return experiment.to_doc(), 201


@bp.get("/v1/experiments")
@access(ADMIN)
def list_experiments():
    """Every experiment, newest first."""
    return {"experiments": [e.to_doc() for e in _book().list()]}


@bp.get("/v1/experiments/<experiment_id>")
@access(ADMIN)
def get_experiment(experiment_id: str):
    experiment_id = check_id(experiment_id, "experiment_id")
    return _book().get(experiment_id).to_doc()


@bp.post("/v1/experiments/<experiment_id>/stop")
@access(ADMIN)
def stop_experiment(experiment_id: str):
    """Stop serving the arms; the report stays readable."""
    experiment_id = check_id(experiment_id, "experiment_id")
    return _book().stop(experiment_id).to_doc()


@bp.get("/v1/experiments/<experiment_id>/report")
@access(ADMIN)
def report(experiment_id: str):
    """Per arm and per slot: impressions, clicks, conversions, rates with CIs, uplift, verdict."""
    experiment_id = check_id(experiment_id, "experiment_id")
    return experiment_report(runtime().store, _book().get(experiment_id))


@bp.get("/v1/dashboard")
@access(ADMIN)
def dashboard():
    """Health, live and canary model sets, experiments, drift, training: the admin page's data."""
    return build_summary(runtime())
