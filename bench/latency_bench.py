#!/usr/bin/env python3
"""Interactive latency benchmark (issue 11).

Starts a Release build of the server on a fresh SQLite file and N real agents (the packaged NativeAOT `fleet-agent run`, or `dotnet Fleet.Agent.dll run` with FLEET_BENCH_AGENT=jit; each its
own process, state folder and machine id, auto-approved; they share this machine's hostname), waits until they are online, the server has settled and the whole machine is quiet (under a quarter of a core busy), then:
  - seed 001: `POST /api/v1/fleet/agent/{hostname}/command` with `true` on one agent, sequentially, and reports the
    round trip p50/p95 (the call answers once the result is stored);
  - seed 002: `POST /api/job_invocations` running `true` on all N agents, timed from the POST until the last host's
    success as the server stamped it (its target run's history; `GET /api/job_invocations/{id}`, polled every 20 ms, says
    when to look), warm (the first job is not counted);
  - one seed 001 target run's own history (seed 004's view), as the step from each status to the next.

Usage: python3 bench/latency_bench.py [--agents 20] [--single 100] [--jobs 10] [--bin-root DIR] [--trace FILE.nettrace]
--bin-root takes another tree's build (its Fleet.Web/bin/Release and Fleet.Agent/bin/Release), to measure before and after.
"""
import argparse, json, os, signal, statistics, subprocess, sys, time, urllib.request
from datetime import datetime
import agents_bench as ab


def post(url, body, timeout=120):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {ab.TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered))) - 1))]


def start_agents(data, base, count, bin_root):
    agent = ab.agent_command(bin_root)
    agents = []
    for i in range(count):
        state = os.path.join(data, f"agent{i}")
        os.makedirs(state, exist_ok=True)
        agents.append(subprocess.Popen([*agent, "run", "--server", base, "--enrollment-token", ab.ENROL, "--state-dir", state,
                                        "--machine-id", f"bench-machine-{i:03d}", "--hostname", f"bench-real-{i:03d}"],
                                       cwd=state, stdout=open(os.path.join(state, "agent.log"), "w"), stderr=subprocess.STDOUT))
    return agents


def history_steps(base, target_run_id):
    stages = ab.get(f"{base}/v0/stageruns")["content"]
    for stage in stages if isinstance(stages, list) else stages["results"]:
        for run in ab.get(f"{base}/v0/stageruns/{stage['id']}/targetruns")["content"]["results"]:
            if run["id"] == target_run_id:
                changes = run["history"]
                times = [datetime.fromisoformat(c["at"].replace("Z", "+00:00")) for c in changes]
                return " → ".join(f"{changes[i]['to']} (+{(times[i] - times[i - 1]).total_seconds() * 1000:.1f} ms)" if i else changes[i]["to"]
                                  for i in range(len(changes)))
    return "not found"


def reached_after(base, invocation_id, posted_at):
    """For each status one job's runs passed through, when each run reached it, in ms after the POST: the server's own
    stamps (seed 004's history), read against this machine's clock, which the server and the bench share."""
    stages = ab.get(f"{base}/v0/stageruns")["content"]
    reached = {}
    for stage in stages if isinstance(stages, list) else stages["results"]:
        if stage["invocation_id"] != invocation_id:
            continue
        for run in ab.get(f"{base}/v0/stageruns/{stage['id']}/targetruns")["content"]["results"]:
            for change in run["history"]:
                at = datetime.fromisoformat(change["at"].replace("Z", "+00:00")).timestamp()
                reached.setdefault(change["to"], []).append((at - posted_at) * 1000)
    return reached


def run_job(base, search_query, count, timeout=120):
    """A seed 002 job running `true` on every host the query finds; returns (its id, seconds from the POST until the last host
    succeeded by the server's stamps, the POST's wall-clock time, seconds until a poll saw it stopped). Polled every 20 ms:
    polling every few ms, the requests themselves took a sixth of a core from the job they timed."""
    started = time.perf_counter()
    posted_at = time.time()
    created = post(f"{base}/api/job_invocations", {"job_invocation": {
        "feature": "run_script", "targeting_type": "static_query", "search_query": search_query, "inputs": {"command": "true"}}})
    url = f"{base}/api/job_invocations/{created['id']}"
    deadline = time.time() + timeout
    while True:
        state = ab.get(url)
        if state["dynflow_task"]["state"] == "stopped":
            break
        if time.time() > deadline:
            raise RuntimeError(f"job {created['id']} did not stop in time: {state}")
        time.sleep(0.02)
    observed = time.perf_counter() - started
    if state["succeeded"] != count:
        raise RuntimeError(f"job {created['id']}: {state['succeeded']} of {count} succeeded")
    succeeded = reached_after(base, created["id"], posted_at).get("success", [])
    if len(succeeded) != count:
        raise RuntimeError(f"job {created['id']}: {len(succeeded)} success stamps for {count} hosts")
    return created["id"], max(succeeded) / 1000, posted_at, observed


def job_timeline(base, invocation_id, posted_at):
    """Where one job's time went: for each status, when the first and the last run reached it, in ms after the POST."""
    reached = reached_after(base, invocation_id, posted_at)
    order = sorted(reached, key=lambda status: min(reached[status]))
    return ", ".join(f"{status} {min(reached[status]):.0f}–{max(reached[status]):.0f}" for status in order)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--agents", type=int, default=20)
    parser.add_argument("--single", type=int, default=100, help="seed 001 calls measured (after 10 warm-up calls)")
    parser.add_argument("--jobs", type=int, default=10, help="seed 002 jobs measured (after one warm-up job)")
    parser.add_argument("--port", type=int, default=5096)
    parser.add_argument("--bin-root", default=ab.ROOT)
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--trace", help="write a dotnet-trace of the server during the measured seed 001 calls to this .nettrace file")
    parser.add_argument("--trace-tool", default="dotnet-trace", help="the dotnet-trace executable")
    args = parser.parse_args()
    if not args.no_build and args.bin_root == ab.ROOT:
        ab.build()
    ab.WEB_DIR = os.path.join(args.bin_root, "Fleet.Web", "bin", "Release", "net10.0")
    data, base, server = ab.start_server(30, args.port)
    agents = start_agents(data, base, args.agents, args.bin_root)
    print(f"agents: {' '.join(ab.agent_command(args.bin_root))} run")
    try:
        if not ab.wait_for(lambda: ab.get(f"{base}/api/v1/fleet/status")["online_hosts"] >= args.agents, 300):
            raise RuntimeError(f"not all {args.agents} agents came online; see {data}")
        # Each host is renamed after the machine by its first inventory: wait until none is left under its first name.
        ab.wait_for(lambda: not any(a["hostname"].startswith("bench-real-") for a in ab.get(f"{base}/api/v1/fleet/agents")["agents"]), 300)
        ab.settle(server.pid)
        # Real agents collect their first inventories with child processes the server's CPU does not show: measure at rest.
        machine_wait = ab.settle_machine()
        load = os.getloadavg()[0]

        # The first inventory names each host after its machine, so all N real agents here share the machine's hostname: a
        # seed 001 call goes to one of them (the approved host seen last), and the job targets them all by that name.
        host = ab.get(f"{base}/api/v1/fleet/agents")["agents"][0]["hostname"]
        single = []
        history_of = None
        tracer = None
        for i in range(10 + args.single):
            if i == 10 and args.trace:
                # dotnet-trace (a dotnet tool) on the server for the measured calls only; it stops with a signal when they end.
                tracer = subprocess.Popen([args.trace_tool, "collect", "-p", str(server.pid), "-o", args.trace], stdin=subprocess.DEVNULL,
                                          stdout=open(args.trace + ".log", "w"), stderr=subprocess.STDOUT)
                ab.wait_for(lambda: os.path.exists(args.trace), 30, 0.1)
            started = time.perf_counter()
            answer = post(f"{base}/api/v1/fleet/agent/{host}/command", {"command": "true"})
            elapsed = (time.perf_counter() - started) * 1000
            if answer["status"] != "executed" or answer["exit_code"] != 0:
                raise RuntimeError(f"seed 001 call answered {answer}")
            if i >= 10:
                single.append(elapsed)
                history_of = answer["execution_id"]

        if tracer is not None:
            tracer.send_signal(signal.SIGINT)
            tracer.wait(120)

        jobs = []
        seen_stopped = []
        timeline = None
        for i in range(1 + args.jobs):
            job_id, elapsed, posted_at, observed = run_job(base, f"name = {host}", args.agents)
            if i >= 1:
                jobs.append(elapsed)
                seen_stopped.append(observed)
                timeline = (job_id, posted_at)

        print(f"machine quiet after {machine_wait:.0f} s more; load (1 min) before measuring: {load:.2f}")
        print("| measurement | n | p50 | p95 | max |")
        print("|---|---|---|---|---|")
        print(f"| seed 001 `true` on one real agent, round trip (ms) | {len(single)} | {statistics.median(single):.1f} | {pct(single, 95):.1f} | {max(single):.1f} |")
        print(f"| seed 002 job `true` on {args.agents} real agents, POST → all succeeded (s) | {len(jobs)} | {statistics.median(jobs):.3f} | "
              f"{pct(jobs, 95):.3f} | {max(jobs):.3f} |")
        print(f"| the same jobs, POST → a 20 ms poll saw it stopped (s) | {len(seen_stopped)} | {statistics.median(seen_stopped):.3f} | "
              f"{pct(seen_stopped, 95):.3f} | {max(seen_stopped):.3f} |")
        print(f"last seed 001 target run's history: {history_steps(base, history_of)}")
        job_id, posted_at = timeline
        print(f"last job's runs, first–last reaching each status, ms after the POST: "
              f"{job_timeline(base, job_id, posted_at)}")
    finally:
        for agent in agents:
            if agent.poll() is None:
                agent.terminate()
        for agent in agents:
            try:
                agent.wait(20)
            except subprocess.TimeoutExpired:
                agent.kill()
        ab.stop_fleet(data, server, [])


if __name__ == "__main__":
    sys.exit(main())
