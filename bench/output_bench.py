#!/usr/bin/env python3
"""Incremental output benchmark (issue: execution engine).

Runs `seq 1 100000` (a real process) through the server's own local agent, then pages through the
host output with Foreman's `since` (GET /api/job_invocations/:id/hosts/:host_id?since=T) and reports
the latency of each page request (p50/p95/p99 over repeated passes), plus the full-output request.

Usage: python3 bench/output_bench.py [--lines 100000] [--passes 20]
"""
import argparse, json, statistics, sys, time, urllib.request
import agents_bench as ab


def post(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {ab.TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=100000)
    parser.add_argument("--passes", type=int, default=20)
    parser.add_argument("--port", type=int, default=5097)
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    if not args.no_build:
        ab.build()
    # The server's own machine, through its local agent: the command really runs.
    data, base, server = ab.start_server(30, args.port, local_agent=True)
    sims = []
    try:
        ab.wait_for(lambda: ab.get(f"{base}/api/v1/fleet/status")["online_hosts"] >= 1, 120)
        host = ab.get(f"{base}/api/v1/fleet/agents")["agents"][0]
        created = post(f"{base}/api/job_invocations", {"job_invocation": {
            "feature": "run_script", "targeting_type": "static_query", "search_query": f"name = {host['hostname']}",
            "inputs": {"command": f"seq 1 {args.lines}"}}})
        invocation = created["id"]
        ab.wait_for(lambda: ab.get(f"{base}/api/job_invocations/{invocation}")["dynflow_task"]["state"] == "stopped", 120)
        url = f"{base}/api/job_invocations/{invocation}/hosts/{host['id']}"
        full_latency = []
        pages = []
        for _ in range(args.passes):
            since = None
            while True:
                started = time.perf_counter()
                body = ab.get(url + (f"?since={since!r}" if since is not None else ""))
                elapsed = (time.perf_counter() - started) * 1000
                (full_latency if since is None else pages).append(elapsed)
                if not body["output"]:
                    break
                since = body["output"][-1]["timestamp"]
        lines = sum(o["output"].count("\n") for o in ab.get(url)["output"])
        pages.sort()
        print(f"| output lines | entries | full output p50 (ms) | `since` page p50 (ms) | p95 (ms) | p99 (ms) | requests |")
        print("|---|---|---|---|---|---|---|")
        print(f"| {lines} | {len(ab.get(url)['output'])} | {statistics.median(full_latency):.1f} | {statistics.median(pages):.1f} | "
              f"{pages[int(len(pages) * 0.95) - 1]:.1f} | {pages[int(len(pages) * 0.99) - 1]:.1f} | {len(pages)} |")
    finally:
        ab.stop_fleet(data, server, sims)


if __name__ == "__main__":
    sys.exit(main())
