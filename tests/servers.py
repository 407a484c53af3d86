"""Real server processes for tests: a free port on 127.0.0.1, wait until it answers, show its output if it dies."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    def __init__(self, args: list[str], url: str, *, cwd: Path | None = None, env: dict[str, str] | None = None, ready_path: str = "/") -> None:
        self.args, self.url = args, url
        self.log = open((cwd or Path("/tmp")) / f"server-{free_port()}.log", "w+b")  # noqa: SIM115
        self.process = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, cwd=cwd, env=env)
        deadline = time.monotonic() + 30
        while True:
            if self.process.poll() is not None:
                raise AssertionError(f"server exited early ({self.process.returncode}):\n{self.output()}")
            try:
                requests.get(url + ready_path, timeout=1)
                break
            except requests.RequestException:
                if time.monotonic() > deadline:
                    self.stop()
                    raise AssertionError(f"server did not answer in 30 s:\n{self.output()}") from None
                time.sleep(0.1)

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def oxigraph_server(location: Path) -> ServerProcess:
    port = free_port()
    return ServerProcess([str(BIN / "oxigraph"), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"], f"http://127.0.0.1:{port}", ready_path="/query?query=ASK%7B%7D")


def start_server(root: Path, *extra: str, env: dict[str, str] | None = None) -> ServerProcess:
    """`lodpub serve` on a free port over the store and dumps under ``root``."""
    import os

    port = free_port()
    args = [str(BIN / "lodpub"), "serve", "--store", str(root / "store"), "--dumps", str(root / "dumps"), "--port", str(port), *extra]
    return ServerProcess(args, f"http://127.0.0.1:{port}", cwd=root, env={**os.environ, **(env or {})}, ready_path="/health")
