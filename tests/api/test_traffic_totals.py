"""GET /v1/dashboard's traffic block counts the decides the API served, cache hits included."""
from __future__ import annotations


def test_the_dashboard_document_counts_decides_served_through_the_api(client, server):
    for i in range(3):
        client.post("/v1/decide", json={"visitor_id": f"visitor-{i:04d}", "slots": [{"name": "s"}]},
                    headers=server)
    client.post("/v1/decide", json={"visitor_id": "visitor-0000", "slots": [{"name": "s"}]}, headers=server)
    traffic = client.get("/v1/dashboard", headers=server).get_json()["traffic"]
    assert traffic["window_hours"] == 24 and traffic["decisions"] == 4
    assert sum(traffic["slots_by_source"].values()) == 4
