"""Per-arm and per-slot results of an experiment, read from the events the arms' decisions produced."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone

from ..domain import Event
from .definition import Experiment
from .stats import uplift, verdict, wilson


class Tally:
    """Counts for one arm (and optionally one slot), per slot view rather than per event.

    A slot view is one (decision, slot): the snippet sends one impression per item shown but a single
    one when the default content stayed, so counting events would penalise arms that show more items.
    CTR is then the share of slot views with at least one click, a proportion Wilson applies to.
    Events without a decision id (older clients, imports) count one view each.
    """

    def __init__(self):
        self._views: set = set()
        self._clicked: set = set()
        self._converted: set = set()
        self._anonymous = 0

    def add(self, event_type: str, decision_id: str | None = None, slot: str | None = None) -> None:
        if decision_id:
            key = (decision_id, slot)
        else:
            self._anonymous += 1
            key = ("", self._anonymous)
        sets = {"impression": self._views, "click": self._clicked, "conversion": self._converted}
        target = sets.get(event_type)
        if target is not None:
            target.add(key)

    @property
    def impressions(self) -> int:
        return len(self._views)

    @property
    def clicks(self) -> int:
        return len(self._clicked)

    @property
    def conversions(self) -> int:
        return len(self._converted)

    def to_dict(self) -> dict:
        """Counts, rates and their Wilson intervals (clicks above impressions are capped: lost beacons)."""
        n = self.impressions
        return {
            "impressions": n, "clicks": self.clicks, "conversions": self.conversions,
            "ctr": self.clicks / n if n else 0.0, "ctr_ci": list(wilson(self.clicks, n)),
            "conversion_rate": self.conversions / n if n else 0.0,
            "conversion_ci": list(wilson(self.conversions, n)),
        }


def tally(batches: Iterable[list[Event]], arms: Iterable[str], slots: Iterable[str] = (),
          start: datetime | None = None, end: datetime | None = None) -> dict[str, dict[str, Tally]]:
    """arm -> slot ("*" for all slots) -> Tally, over events tagged with one of `arms` inside the window."""
    wanted, slot_filter = set(arms), set(slots)
    out: dict[str, dict[str, Tally]] = {arm: {"*": Tally()} for arm in wanted}
    for batch in batches:
        for event in batch:
            if event.arm not in wanted or (slot_filter and event.slot not in slot_filter):
                continue
            if (start and event.timestamp < start) or (end and event.timestamp > end):
                continue
            per_slot = out[event.arm]
            for key in ("*", event.slot or "(none)"):
                per_slot.setdefault(key, Tally()).add(event.type, event.decision_id, event.slot)
    return out


def compare(arm: str, mine: Tally, base: Tally, min_impressions: int) -> dict:
    """Uplift over the baseline arm (CTR and conversion rate) and the plain-words verdict on CTR."""
    ctr = uplift(mine.clicks, mine.impressions, base.clicks, base.impressions)
    conv = uplift(mine.conversions, mine.impressions, base.conversions, base.impressions)
    enough = min(mine.impressions, base.impressions) >= min_impressions
    return {
        "ctr": _uplift_dict(ctr), "conversion": _uplift_dict(conv), "enough_data": enough,
        "verdict": verdict(arm, mine.impressions, base.impressions, ctr, min_impressions),
        "conversion_verdict": verdict(arm, mine.impressions, base.impressions, conv, min_impressions,
                                      metric="conversion"),
    }


def experiment_report(store, experiment: Experiment, now: datetime | None = None) -> dict:
    """The JSON report for one experiment: arms (with the canary, if it served), slots, uplift, verdicts."""
    end = experiment.stopped_at or now or datetime.now(timezone.utc)
    arms = list(experiment.arms) + ["canary"]
    tallies = tally(store.iter_events(since=experiment.created_at, until=end), arms, experiment.slots,
                    experiment.created_at, end)
    control = tallies["control"]
    report_arms = {}
    for arm in arms:
        per_slot = tallies[arm]
        if arm == "canary" and per_slot["*"].impressions == 0:
            continue  # no canary served during this experiment
        entry = per_slot["*"].to_dict()
        entry["share"] = experiment.arms.get(arm)
        entry["slots"] = {slot: t.to_dict() for slot, t in sorted(per_slot.items()) if slot != "*"}
        if arm != "control":
            entry["vs_control"] = compare(arm, per_slot["*"], control["*"], experiment.min_impressions)
            for slot, slot_entry in entry["slots"].items():
                slot_entry["vs_control"] = compare(arm, per_slot[slot], control.get(slot, Tally()),
                                                   experiment.min_impressions)
        report_arms[arm] = entry
    headline_arm = "model" if "model" in report_arms else next((a for a in report_arms if a != "control"),
                                                               None)
    return {
        "experiment": experiment.to_doc(),
        "window": {"start": experiment.created_at.isoformat(), "end": end.isoformat()},
        "arms": report_arms,
        "verdict": report_arms[headline_arm]["vs_control"]["verdict"] if headline_arm else "",
    }


def _uplift_dict(result) -> dict | None:
    if result is None:
        return None
    return {"diff": result.diff, "low": result.low, "high": result.high,
            "excludes_zero": result.excludes_zero}
