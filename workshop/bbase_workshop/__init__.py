"""The workshop: what builds, runs and measures bbase on a developer's machine.

Nothing here runs in production. It holds the project-local PostgreSQL
cluster, the local DynamoDB/S3 endpoint (moto in server mode), the demo, the
benchmarks and the SES data generator. It is installed from a checkout only
(``./dev setup``) and adds its commands to ``bbase`` through the
``bbase.commands`` entry points.
"""

from __future__ import annotations

from pathlib import Path

#: The checkout the workshop runs from (it is never installed from a wheel).
CHECKOUT = Path(__file__).resolve().parents[2]
#: Local state of the embedded default: cluster, caches, reports (gitignored).
LOCAL = CHECKOUT / ".local"
