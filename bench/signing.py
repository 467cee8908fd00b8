"""The signing storm of the bench (its own process): stations that all send SignCertificate at once.

`python -m bench.signing --url ws://HOST:PORT/ws --stations N --prefix P --password PW` connects N OCPP 2.0.1
stations (ids P0…), boots them and makes each its key and CSR, prints `READY`, waits for a line on stdin, then every
station sends SignCertificate at the same moment and answers the CSMS's CertificateSigned with Accepted. Prints one
JSON line: {"stations", "signed", "rejected", "errors", "seconds" (until the last CertificateSigned), "p50_ms",
"p99_ms", "slowest_ms" (SignCertificate sent → CertificateSigned received, per station)}.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time

import websockets
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bench.load import BOOT_201, CONNECT_CONCURRENCY, SETUP_TIMEOUT, auth_headers

WAIT_FOR_CHAIN = 120  # seconds a station waits for its CertificateSigned


def csr_of(cs_id: str) -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cs_id)])
    request = x509.CertificateSigningRequestBuilder().subject_name(subject).sign(key, hashes.SHA256())
    return request.public_bytes(serialization.Encoding.PEM).decode()


async def connect(url: str, cs_id: str, password: str, gate: asyncio.Semaphore):
    async with gate:
        ws = await websockets.connect(f"{url}/{cs_id}", subprotocols=["ocpp2.0.1"], additional_headers=auth_headers(cs_id, password),
                                      ping_interval=None, open_timeout=60)
        await ws.send(json.dumps(BOOT_201))
        await ws.recv()
        return ws


async def sign(ws, cs_id: str, csr: str) -> tuple[str, float]:
    """("signed" | "rejected" | "error", seconds from SignCertificate to CertificateSigned)."""
    started = time.perf_counter()
    await ws.send(json.dumps([2, "sign", "SignCertificate", {"csr": csr, "certificateType": "ChargingStationCertificate"}]))
    deadline = time.monotonic() + WAIT_FOR_CHAIN
    while time.monotonic() < deadline:
        message = json.loads(await asyncio.wait_for(ws.recv(), deadline - time.monotonic()))
        if message[0] == 3 and message[1] == "sign" and message[2].get("status") != "Accepted":
            return "rejected", time.perf_counter() - started
        if message[0] == 4:
            return "error", time.perf_counter() - started
        if message[0] == 2 and message[2] == "CertificateSigned":
            seconds = time.perf_counter() - started
            await ws.send(json.dumps([3, message[1], {"status": "Accepted"}]))
            return "signed", seconds
    return "error", time.perf_counter() - started


async def run(args: argparse.Namespace) -> dict:
    ids = [f"{args.prefix}{n}" for n in range(args.stations)]
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    sockets = await asyncio.wait_for(asyncio.gather(*(connect(args.url, cs_id, args.password, gate) for cs_id in ids)),
                                     SETUP_TIMEOUT)
    csrs = [csr_of(cs_id) for cs_id in ids]
    print("READY", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    started = time.monotonic()
    try:
        outcomes = await asyncio.gather(*(sign(ws, cs_id, csr) for ws, cs_id, csr in zip(sockets, ids, csrs)),
                                        return_exceptions=True)
    finally:
        await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
    kinds = [outcome[0] if isinstance(outcome, tuple) else "error" for outcome in outcomes]
    latencies = sorted(outcome[1] * 1000 for outcome in outcomes if isinstance(outcome, tuple) and outcome[0] == "signed")
    return {
        "stations": len(ids), "signed": kinds.count("signed"), "rejected": kinds.count("rejected"),
        "errors": kinds.count("error"), "seconds": time.monotonic() - started, "p50_ms": _percentile(latencies, 0.5),
        "p99_ms": _percentile(latencies, 0.99), "slowest_ms": latencies[-1] if latencies else 0.0,
    }


def _percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--stations", type=int, default=200)
    parser.add_argument("--prefix", default="SIGN-")
    parser.add_argument("--password", default="bench-password")
    print(json.dumps(asyncio.run(run(parser.parse_args()))), flush=True)


if __name__ == "__main__":
    main()
