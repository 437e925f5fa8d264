#!/usr/bin/env python3
"""Agent-scale benchmark (issue: foundation).

Starts a Release build of Fleet.Web on a fresh SQLite file, connects N simulated agents
(`Fleet.Agent simulate`, each a real SignalR WebSocket connection), and measures:
  - seconds until all N are online (polling GET /api/v1/fleet/status),
  - server RSS before and after, and RSS per agent above the baseline,
  - server CPU (% of one core) over 30 s of idle heartbeating,
  - GET /api/v1/fleet/status latency p50/p99 over 500 sequential requests while they heartbeat.

Usage: python3 bench/agents_bench.py --counts 1000,5000 [--heartbeat 30] [--ramp 1000] [--profile DIR]
Prints one Markdown table row per count. With --profile, once settled it also writes into DIR (per count): a
dotnet-gcdump of the server and its report, 10 s of dotnet-counters (System.Runtime) and /proc/PID/smaps_rollup, so
managed heap can be split from native memory (dotnet-gcdump and dotnet-counters on PATH, e.g. dotnet tool install).
"""
import argparse, json, os, resource, shutil, signal, statistics, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = "bench-admin-token-0123456789"
ENROL = "bench-enrol"
# Another tree's server build can be measured by pointing this at its bin/Release/net10.0 (latency_bench.py --bin-root), or
# a published server (a dotnet publish output) by FLEET_BENCH_WEB_DIR.
WEB_DIR = os.environ.get("FLEET_BENCH_WEB_DIR") or os.path.join(ROOT, "Fleet.Web", "bin", "Release", "net10.0")


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def get(url, timeout=10):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def wait_for(predicate, timeout, step=0.5):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if predicate():
                return True
        except Exception:
            pass
        time.sleep(step)
    return False


def settle(pid, quiet_pct=15, window=5, limit=600):
    """Waits until the server is quiet (initial inventories written, GC done): CPU under quiet_pct over a window."""
    started = time.time()
    while time.time() - started < limit:
        c0, t0 = cpu_seconds(pid), time.time()
        time.sleep(window)
        if 100 * (cpu_seconds(pid) - c0) / (time.time() - t0) < quiet_pct:
            break
    return time.time() - started


def machine_busy_seconds():
    """CPU seconds the whole machine has spent busy (every process, every core) since boot."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def settle_machine(quiet_pct=25, window=5, limit=300):
    """Waits until the whole machine is quiet (agents' first inventories and their child processes done): busy under quiet_pct
    of one core over a window. Returns the seconds waited."""
    started = time.time()
    while time.time() - started < limit:
        c0, t0 = machine_busy_seconds(), time.time()
        time.sleep(window)
        if 100 * (machine_busy_seconds() - c0) / (time.time() - t0) < quiet_pct:
            break
    return time.time() - started


def profile(pid, directory, count):
    """Snapshots a settled server: GC heap by type (gcdump), runtime counters, and the kernel's view of its memory."""
    os.makedirs(directory, exist_ok=True)
    prefix = os.path.join(directory, f"server-{count}")
    shutil.copy(f"/proc/{pid}/smaps_rollup", prefix + ".smaps_rollup")
    subprocess.run(["dotnet-counters", "collect", "-p", str(pid), "--counters", "System.Runtime", "--format", "json",
                    "--duration", "00:00:10", "-o", prefix + ".counters.json"], stdout=subprocess.DEVNULL, check=False)
    subprocess.run(["dotnet-gcdump", "collect", "-p", str(pid), "-o", prefix + ".gcdump"], stdout=subprocess.DEVNULL, check=False)
    with open(prefix + ".gcdump.txt", "w") as report:
        subprocess.run(["dotnet-gcdump", "report", prefix + ".gcdump"], stdout=report, check=False)


def build():
    for project in ("Fleet.Web", "Fleet.Agent"):
        subprocess.run(["dotnet", "build", "-c", "Release", "-v", "q", "--nologo", os.path.join(ROOT, project)], check=True)


def start_server(heartbeat, port, local_agent=False):
    """A Release build of the server on a fresh database. Returns (data folder, base URL, process)."""
    data = tempfile.mkdtemp(prefix="fleet-bench-")
    env = dict(os.environ,
               ConnectionStrings__Fleet=f"Data Source={data}/fleet.db",
               Fleet__Agents__AutoApprove="true",
               Fleet__Agents__EnrollmentToken=ENROL,
               Fleet__Agents__HeartbeatSeconds=str(heartbeat),
               Fleet__LocalAgent__Enabled="true" if local_agent else "false",
               Fleet__Bootstrap__AdminToken=TOKEN,
               Fleet__Bootstrap__AdminPassword="bench-password-1",
               Logging__LogLevel__Default="Warning")
    web_dir = WEB_DIR
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(["dotnet", os.path.join(web_dir, "Fleet.Web.dll"), "--urls", base], cwd=data, env=env,
                              stdout=open(os.path.join(data, "server.log"), "w"), stderr=subprocess.STDOUT)
    if not wait_for(lambda: get(f"{base}/api/v1/fleet/status") is not None, 60):
        raise RuntimeError("server did not start; see " + data)
    time.sleep(3)
    return data, base, server


def agent_command(bin_root=None):
    """How every benchmark starts the agent, real or simulated: the NativeAOT executable the server's Release build packages
    (what `install.sh` puts on a host), or `dotnet Fleet.Agent.dll` when FLEET_BENCH_AGENT=jit or the package is missing
    (no clang). The JIT build runs a command's code unoptimised for its first few dozen calls and, as a load tool, takes
    about twice the CPU the server's benchmarks share the machine with; figures before 2026-12-07 were taken with it."""
    bin_root = bin_root or ROOT
    packaged = os.path.join(bin_root, "Fleet.Web", "bin", "Release", "net10.0", "agent-package", "fleet-agent")
    if os.environ.get("FLEET_BENCH_AGENT", "native") != "jit" and os.path.exists(packaged):
        return [packaged]
    return ["dotnet", os.path.join(bin_root, "Fleet.Agent", "bin", "Release", "net10.0", "Fleet.Agent.dll")]


def start_sims(data, base, count, ramp, extra=()):
    """Simulated agents (`simulate`, see agent_command), auto-approved by the server."""
    agent = agent_command()
    print(f"agents: {' '.join(agent)} simulate {' '.join(extra)}".rstrip(), flush=True)
    sims = []
    if True:
        # One simulator process holds at most 10,000 agents: this machine caps a process at 20,000 open files.
        per_process = 10000
        for i, start in enumerate(range(0, count, per_process)):
            n = min(per_process, count - start)
            sims.append(subprocess.Popen([*agent, "simulate", "--server", base,
                                          "--enrollment-token", ENROL, "--count", str(n), "--seed", str(i + 1),
                                          "--ramp", str(max(1, ramp // ((count + per_process - 1) // per_process))), *extra],
                                         cwd=data, stdout=open(os.path.join(data, f"sim{i}.log"), "w"), stderr=subprocess.STDOUT))
    return sims


def stop_fleet(data, server, sims):
    for process in sims + [server]:
        if process and process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
    shutil.rmtree(data, ignore_errors=True)


def run_one(count, heartbeat, ramp, port, profile_dir=None):
    data, base, server = start_server(heartbeat, port)
    baseline = rss_kb(server.pid)
    started = time.time()
    sims = start_sims(data, base, count, ramp)
    try:
        online = wait_for(lambda: get(f"{base}/api/v1/fleet/status")["online_hosts"] >= count, 900)
        all_online = time.time() - started if online else float("nan")
        settle_s = settle(server.pid)
        rss = rss_kb(server.pid)
        if profile_dir:
            profile(server.pid, profile_dir, count)
        c0, t0 = cpu_seconds(server.pid), time.time()
        time.sleep(30)
        cpu = 100 * (cpu_seconds(server.pid) - c0) / (time.time() - t0)
        latencies = []
        for _ in range(500):
            s = time.perf_counter()
            get(f"{base}/api/v1/fleet/status")
            latencies.append((time.perf_counter() - s) * 1000)
        latencies.sort()
        status = get(f"{base}/api/v1/fleet/status")
        return {
            "settle_s": settle_s,
            "count": count, "online": status["online_hosts"], "all_online_s": all_online,
            "baseline_mb": baseline / 1024, "rss_mb": rss / 1024, "kb_per_agent": (rss - baseline) / count,
            "idle_cpu_pct": cpu, "p50_ms": statistics.median(latencies), "p99_ms": latencies[int(len(latencies) * 0.99) - 1],
        }
    finally:
        stop_fleet(data, server, sims)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--counts", default="1000,5000,10000,20000")
    parser.add_argument("--heartbeat", type=int, default=30)
    parser.add_argument("--ramp", type=int, default=1000)
    parser.add_argument("--port", type=int, default=5099)
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--profile", metavar="DIR", help="once settled, write a gcdump, counters and smaps of the server here")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 200000), hard))
    if not args.no_build:
        build()
    print("| agents | online | all online (s) | settled after (s) | server RSS before (MB) | after (MB) | KB per agent | idle CPU (% of a core) | status p50 (ms) | status p99 (ms) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for count in [int(c) for c in args.counts.split(",")]:
        r = run_one(count, args.heartbeat, args.ramp, args.port, args.profile)
        print(f"| {r['count']} | {r['online']} | {r['all_online_s']:.1f} | {r['settle_s']:.0f} | {r['baseline_mb']:.0f} | {r['rss_mb']:.0f} | "
              f"{r['kb_per_agent']:.1f} | {r['idle_cpu_pct']:.1f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
