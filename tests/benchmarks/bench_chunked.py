"""Chunked downloads through a real socket: what a user's read loop costs.

A server process on its own core (the last one) sends 32 MiB bodies in
chunks of 1 KiB and of 16 KiB; this process reads them with ``read(1 MiB)``
and with ``readinto()`` of a 1 MiB buffer, through http.client and through
httpcore, and through pycurl where it is installed. Client CPU time
(``time.process_time``) is compared.
"""

from __future__ import annotations

import atexit
import http.client
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from accelerators import CHUNKS, pure_and_compiled
from run import Case, downloader, server_and_client_cores

import httpcore_client

SERVER = Path(__file__).resolve().parent / "chunked_origin.py"


class ChunkedServer:
    """chunked_origin.py in a process of its own, on the last core."""

    def __init__(self) -> None:
        directory = Path(tempfile.mkdtemp(prefix="httpcore-bench-"))
        port_file = directory / "port"
        server_core, client_cores = server_and_client_cores()
        self.process = subprocess.Popen(
            [sys.executable, str(SERVER), str(port_file)],
            preexec_fn=lambda: os.sched_setaffinity(0, server_core),
        )
        atexit.register(self.process.terminate)
        os.sched_setaffinity(0, client_cores)
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("chunked_origin.py did not start")
            time.sleep(0.05)
        self.port = int(port_file.read_text())


def _pycurl_download(port: int, size: int) -> Callable[[], str] | None:
    try:
        import pycurl
    except ImportError:
        return None
    curl = pycurl.Curl()
    curl.setopt(pycurl.URL, f"http://127.0.0.1:{port}/{size}")

    def download() -> str:
        total = 0

        def write(data: bytes) -> None:
            nonlocal total
            total += len(data)

        curl.setopt(pycurl.WRITEFUNCTION, write)
        curl.perform()
        return f"{total}"

    return download


def _cases() -> list[Case]:
    server = ChunkedServer()
    cpu = time.process_time
    cases = []
    for size in (1024, 16384):
        label = f"{size >> 10} KiB chunks"
        for how in ("read(1 MiB)", "readinto"):
            cases.append(
                Case(
                    f"chunked 32 MiB, {label}, {how}, client CPU",
                    downloader(http.client, server.port, f"/{size}", how),
                    downloader(httpcore_client, server.port, f"/{size}", how),
                    timer=cpu,
                )
            )
        for how in ("read(1 MiB)", "readinto"):
            jobs = pure_and_compiled(
                CHUNKS,
                partial(downloader, httpcore_client, server.port, f"/{size}", how),
            )
            if jobs is not None:
                cases.append(
                    Case(
                        f"chunked 32 MiB, {label}, {how}, no {CHUNKS.label} = baseline",
                        *jobs,
                        timer=cpu,
                    )
                )
        curl = _pycurl_download(server.port, size)
        if curl is None:
            print("bench_chunked: pycurl is not installed: left out")
            continue
        for how in ("read(1 MiB)", "readinto"):
            cases.append(
                Case(
                    f"chunked 32 MiB, {label}, {how}, pycurl = baseline",
                    curl,
                    downloader(httpcore_client, server.port, f"/{size}", how),
                    # (pycurl's pieces are its own: the totals must agree.)
                    result=lambda outcome: outcome.split()[-1],
                    timer=cpu,
                )
            )
    return cases


CASES = _cases()
