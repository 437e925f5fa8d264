#!/usr/bin/env python3
"""LiveHub benchmark (issue: stage runs, waves and live progress).

Connects N simulated agents (commands answer after a seeded 0-5 s delay, so N target runs complete over
~5 s), then bench/LiveProbe schedules `true` on all of them, joins the invocation's LiveHub group before it
starts, and reports: messages per second the client received (goal <= 4), latency from a run's update on
the server (its updated_at) to the client receiving it (goal p95 <= 500 ms), the final counts, and load
times of the dashboard's live progress page while it happens. Server CPU is measured around the probe.

Usage: python3 bench/live_bench.py --counts 10000
"""
import argparse, json, os, resource, subprocess, time
import agents_bench as ab


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--counts", default="10000")
    parser.add_argument("--latency-ms", type=int, default=5000)
    parser.add_argument("--port", type=int, default=5097)
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    probe_dir = os.path.join(ab.ROOT, "bench", "LiveProbe")
    probe = os.path.join(probe_dir, "bin", "Release", "net10.0", "LiveProbe.dll")
    if not args.no_build:
        ab.build()
    if not args.no_build or not os.path.exists(probe):
        subprocess.run(["dotnet", "build", "-c", "Release", "-v", "q", "--nologo", probe_dir], check=True)
    print("| runs | final counts | messages | max msgs in any 1 s | active s | result latency p50 / p95 / max (ms) | any transition p95 (ms) | page loads p50 / p95 / max (ms) | server CPU (% of a core) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for count in [int(c) for c in args.counts.split(",")]:
        data, base, server = ab.start_server(30, args.port)
        sims = ab.start_sims(data, base, count, 1000, ("--command-latency-ms", str(args.latency_ms)))
        try:
            ab.wait_for(lambda: ab.get(f"{base}/api/v1/fleet/status")["online_hosts"] >= count, 900)
            ab.settle(server.pid)
            c0, t0 = ab.cpu_seconds(server.pid), time.time()
            out = subprocess.run(["dotnet", probe, base, ab.TOKEN, str(count), "name ~ sim-", "admin", "bench-password-1"],
                                 capture_output=True, text=True, timeout=1200)
            cpu = 100 * (ab.cpu_seconds(server.pid) - c0) / (time.time() - t0)
            if out.returncode != 0:
                raise RuntimeError(out.stdout + out.stderr)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print("   probe:", json.dumps(r), flush=True)
            print(f"| {count} | {r['final_finished']}/{r['final_total']}{'' if r['completed'] else ' (incomplete)'} | {r['messages']} | "
                  f"{r['max_messages_in_any_second']} | {r['active_seconds']} | {r['result_latency_p50_ms']:.0f} / {r['result_latency_p95_ms']:.0f} / {r['result_latency_max_ms']:.0f} | {r['latency_p95_ms']:.0f} | "
                  f"{r['page_p50_ms']:.0f} / {r['page_p95_ms']:.0f} / {r['page_max_ms']:.0f} ({r['page_loads']} loads) | {cpu:.0f} |", flush=True)
        finally:
            ab.stop_fleet(data, server, sims)


if __name__ == "__main__":
    main()
