#!/usr/bin/env python3
"""slowloris.py — a slow-client flood against itakud, bounded in count and
time, loopback only (issue 11, hole 4).

Phase 1 opens --conns TLS connections (no certificate) spread over --addrs
source addresses 127.0.0.2…, sends an unfinished request line and then one
byte every 5 s, and does not reconnect. While they are held, a well-behaved
client (curl with a client certificate) is timed five times. Every held
connection must then be shut by the server's header deadline although it
keeps sending. Phase 2 opens --per-ip-try connections from one more address
and counts how many the server keeps. Prints one JSON object.
"""
import argparse
import asyncio
import json
import resource
import ssl
import subprocess
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--ca", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--conns", type=int, default=2000)
    ap.add_argument("--addrs", type=int, default=10)
    ap.add_argument("--per-ip-try", type=int, default=0)
    ap.add_argument("--limit", type=float, default=40.0, help="seconds, in all")
    ap.add_argument("--reconnect", action="store_true",
                    help="each slow client reconnects at once when shut (eviction test)")
    a = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = a.conns + a.per_ip_try + 256
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))
    print(json.dumps(asyncio.run(run(a))))


def tls_context(ca):
    ctx = ssl.create_default_context(cafile=ca)
    return ctx


async def hold(a, ctx, src, state):
    """One slow connection: its lifetime if the server shut it, else None."""
    t0 = time.monotonic()  # the server's clock starts at accept, before the handshake
    try:
        r, w = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", a.port, ssl=ctx, server_hostname="localhost",
                                    local_addr=(src, 0)), 30)
    except (OSError, asyncio.TimeoutError, ssl.SSLError):
        state["refused"] += 1
        return None
    state["open"] += 1
    state["peak"] = max(state["peak"], state["open"])
    cut = None
    try:
        w.write(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
        await w.drain()
        while not state["stop"]:
            try:
                if await asyncio.wait_for(r.read(1), 5) == b"":
                    cut = time.monotonic() - t0
                    break
            except asyncio.TimeoutError:
                w.write(b"X")  # a header name, one byte at a time
                await w.drain()
    except (OSError, ssl.SSLError):
        cut = time.monotonic() - t0
    finally:
        state["open"] -= 1
        w.close()
    return cut


async def hold_forever(a, ctx, src, state):
    """hold() again and again until stopped; lifetimes of shut connections go to state"""
    while not state["stop"]:
        cut = await hold(a, ctx, src, state)
        if cut is not None:
            state["cuts"].append(cut)
        elif not state["stop"]:
            await asyncio.sleep(0.05)


async def good_client(a):
    """status and seconds of one authenticated request made by curl"""
    proc = await asyncio.create_subprocess_exec(
        "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{time_total}", "--max-time", "10",
        "--cacert", a.ca, "--cert", a.cert, "--key", a.key,
        f"https://localhost:{a.port}/api/v1/whoami", stdout=subprocess.PIPE)
    out, _ = await proc.communicate()
    code, secs = (out.decode().split() + ["000", "99"])[:2]
    return [int(code), float(secs)]


async def run(a):
    ctx = tls_context(a.ca)
    state = {"open": 0, "peak": 0, "refused": 0, "stop": False, "cuts": []}
    start = time.monotonic()
    if a.reconnect:
        return await run_reconnecting(a, ctx, state, start)
    tasks = [asyncio.create_task(hold(a, ctx, f"127.0.0.{2 + i % a.addrs}", state))
             for i in range(a.conns)]
    # wait until (nearly) all are open, bounded
    while state["open"] + state["refused"] < a.conns and time.monotonic() - start < 30:
        await asyncio.sleep(0.1)
    held = state["open"]
    ramp = round(time.monotonic() - start, 1)
    good = []
    for _ in range(5):
        good.append(await good_client(a))
        await asyncio.sleep(0.2)
    held_after = state["open"]
    remaining = a.limit - (time.monotonic() - start)
    done, pending = await asyncio.wait(tasks, timeout=max(remaining, 1))
    state["stop"] = True
    for t in pending:
        t.cancel()
    cuts = sorted(t.result() for t in done if t.result() is not None)
    result = {"conns": a.conns, "opened_peak": state["peak"], "ramp": ramp,
              "held_during_good": min(held, held_after),
              "refused": state["refused"], "good": good, "cut": len(cuts),
              "not_cut": len(pending) + sum(1 for t in done if t.result() is None) - state["refused"],
              "cut_min": cuts[0] if cuts else None, "cut_max": cuts[-1] if cuts else None}
    if a.per_ip_try:
        state2 = {"open": 0, "peak": 0, "refused": 0, "stop": False}
        tasks = [asyncio.create_task(hold(a, ctx, "127.0.0.250", state2)) for _ in range(a.per_ip_try)]
        t1 = time.monotonic()
        while state2["open"] + state2["refused"] < a.per_ip_try and time.monotonic() - t1 < 10:
            await asyncio.sleep(0.1)
        await asyncio.sleep(1)
        result["per_ip_kept"] = state2["open"]
        state2["stop"] = True
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return result


async def run_reconnecting(a, ctx, state, start):
    """more slow clients than the server takes, each reconnecting when shut:
    the server must still serve a client with a certificate"""
    tasks = [asyncio.create_task(hold_forever(a, ctx, f"127.0.0.{2 + i % a.addrs}", state))
             for i in range(a.conns)]
    await asyncio.sleep(min(8.0, a.limit / 3))  # the flood is at its height
    held = state["open"]
    good = []
    for _ in range(5):
        good.append(await good_client(a))
        await asyncio.sleep(0.2)
    state["stop"] = True
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    cuts = sorted(state["cuts"])
    return {"conns": a.conns, "held_at_height": held, "peak": state["peak"], "good": good,
            "cut": len(cuts), "cut_min": cuts[0] if cuts else None,
            "seconds": round(time.monotonic() - start, 1)}


if __name__ == "__main__":
    main()
