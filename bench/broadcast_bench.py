#!/usr/bin/env python3
"""Broadcast benchmark (issue: execution engine).

Connects N simulated agents to a Release server, then times POST /api/v1/fleet/broadcast/command
with `true` to all of them: the call returns when every result is persisted (or its timeout passed),
so its wall time is "API call to last result persisted". Simulated agents answer after a seeded
0-500 ms latency without starting a process.

With --rounds N the same agents take N broadcasts one after another: the first is cold (the server's
first large job: JIT, caches, pools), the later ones warm.

Usage: python3 bench/broadcast_bench.py --counts 1000,5000,10000 [--rounds 3]
"""
import argparse, json, resource, sys, time, urllib.request
import agents_bench as ab


def post(url, body, timeout=600):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {ab.TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--counts", default="1000,5000,10000")
    parser.add_argument("--port", type=int, default=5098)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if not args.no_build:
        ab.build()
    print("| agents | round | completed | failed/other | broadcast wall time (s) | server CPU during it (% of a core) |")
    print("|---|---|---|---|---|---|")
    for count in [int(c) for c in args.counts.split(",")]:
        data, base, server = ab.start_server(30, args.port)
        sims = ab.start_sims(data, base, count, 1000)
        try:
            ab.wait_for(lambda: ab.get(f"{base}/api/v1/fleet/status")["online_hosts"] >= count, 900)
            ab.settle(server.pid)
            hostnames = [a["hostname"] for a in ab.get(f"{base}/api/v1/fleet/agents", timeout=60)["agents"]]
            for round_number in range(1, args.rounds + 1):
                c0 = ab.cpu_seconds(server.pid)
                started = time.time()
                result = post(f"{base}/api/v1/fleet/broadcast/command", {"command": "true", "hostnames": hostnames, "timeout": 300, "parallel": True})
                wall = time.time() - started
                cpu = 100 * (ab.cpu_seconds(server.pid) - c0) / wall
                completed = sum(1 for r in result["results"] if r["status"] == "completed")
                print(f"| {count} | {round_number} | {completed} | {len(result['results']) - completed} | {wall:.2f} | {cpu:.0f} |", flush=True)
        finally:
            ab.stop_fleet(data, server, sims)


if __name__ == "__main__":
    sys.exit(main())
