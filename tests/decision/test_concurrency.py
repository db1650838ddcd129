"""Reloading model sets under concurrent decide calls: no errors, each answer from one whole set."""
from __future__ import annotations

import threading
import time

from pertinent.decision.core import decide
from pertinent.domain import DecideRequest, PageContext, SlotRequest
from pertinent.modelset.writer import promote

from .conftest import make_item, ship
from .fixtures_models import FixedRecommender

RANKINGS = {"v1": ["1", "2", "3"], "v2": ["4", "5", "6"]}


def test_decide_while_the_live_set_flips(runtime):
    runtime.store.upsert_content([make_item(i) for i in range(1, 8)])
    for version, ranking in RANKINGS.items():
        ship(runtime, {"recommender": FixedRecommender(ranking)}, version=version)
    request = DecideRequest(visitor_id=None, context=PageContext(),
                            slots=[SlotRequest(name="a", count=2), SlotRequest(name="b", count=1)])
    errors, answers, stop = [], [], threading.Event()

    def page_views():
        while not stop.is_set():
            try:
                decision = decide(request, runtime)
                answers.append((decision.model_version, [i.id for s in decision.slots for i in s.items]))
                time.sleep(0.001)
            except Exception as exc:  # collected and asserted below
                errors.append(exc)

    threads = [threading.Thread(target=page_views) for _ in range(4)]
    for t in threads:
        t.start()
    for i in range(30):
        promote(runtime.config.models_dir, "v1" if i % 2 else "v2")
        runtime.models.reload()
        time.sleep(0.005)
    stop.set()
    for t in threads:
        t.join()
    assert not errors and answers
    for version, chosen in answers:
        assert chosen == RANKINGS[version], (version, chosen)
    assert {v for v, _ in answers} <= {"v1", "v2"}


def test_decide_picks_up_a_promoted_set_after_the_reload_interval(tmp_path):
    from .conftest import build_runtime

    runtime = build_runtime(tmp_path, reload_interval=0.2)
    runtime.store.upsert_content([make_item(i) for i in range(1, 8)])
    request = DecideRequest(visitor_id=None, context=PageContext(), slots=[SlotRequest(name="a", count=3)])
    ship(runtime, {"recommender": FixedRecommender(RANKINGS["v1"])}, version="v1")
    assert decide(request, runtime).model_version == "v1"
    ship(runtime, {"recommender": FixedRecommender(RANKINGS["v2"])}, version="v2", reload=False)
    bad = ship(runtime, {"recommender": FixedRecommender(["7"])}, version="v3", promote_it=False)
    time.sleep(0.25)
    decision = decide(request, runtime)
    assert decision.model_version == "v2" and [i.id for i in decision.slots[0].items] == RANKINGS["v2"]
    (runtime.config.models_dir / bad / "recommender.joblib").write_bytes(b"corrupt")
    promote(runtime.config.models_dir, bad, verify=False)
    time.sleep(0.25)
    assert decide(request, runtime).model_version == "v2"
    assert "v3" in runtime.models.status()["last_error"]
    runtime.close()
