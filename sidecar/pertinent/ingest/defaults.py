"""The consumer's defaults, importable without the NATS client (the CLI's help names them)."""
from __future__ import annotations

# The durable consumer every `pertinent ingest` process shares, on any host.
DURABLE = "pertinent-ingest"
# Messages fetched and written per transaction.
BATCH = 500
# Seconds before JetStream redelivers a message nobody acknowledged (a consumer that died).
ACK_WAIT_S = 30.0
