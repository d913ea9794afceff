"""The local DynamoDB/S3 endpoint: moto in server mode on 127.0.0.1.

boto3 talks to it over HTTP exactly as to AWS (``AWS_ENDPOINT_URL``). The
server runs as a subprocess (``python -m moto.server``) on a free port, so it
neither shares the caller's interpreter nor outlives it by accident.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from types import TracebackType

from bbase.config import LOCAL_CREDENTIALS
from bbase_workshop.pgcluster import free_port

__all__ = ["LOCAL_CREDENTIALS", "MotoServer"]


class MotoServer:
    """``with MotoServer() as url: ...``: a moto server for the duration of the block."""

    def __init__(self, port: int | None = None, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 30.0) -> str:
        env = {**os.environ, "MOTO_PORT": str(self.port)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", self.host, "-p", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"moto server exited with status {self.proc.returncode}")
            try:
                with socket.create_connection((self.host, self.port), timeout=0.2):
                    pass
                with urllib.request.urlopen(self.url + "/moto-api/data.json", timeout=2):
                    return self.url
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"moto server did not answer on {self.url} within {timeout:.0f}s")

    def reset(self) -> None:
        """Forget every table and bucket (moto's own reset API)."""
        req = urllib.request.Request(self.url + "/moto-api/reset", method="POST")
        with urllib.request.urlopen(req, timeout=10):
            pass

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
