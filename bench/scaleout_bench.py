#!/usr/bin/env python3
"""Scale-out benchmark (issue 12).

Two Release Fleet.Web instances on one database and one private Redis, N simulated agents split across them (each simulator
process is given `--server A,B` and spreads its agents round-robin; one process per at most 15,000 agents, since a process here
may open at most 20,000 files), then a broadcast of `true` to all of them through instance A's API
(POST /api/v1/fleet/broadcast/command returns when every result is persisted: "API call to last result persisted").
The same broadcast on one instance (same database kind, no Redis) follows for comparison.

  --database postgres   a private PostgreSQL cluster (initdb in a temporary folder, as the postgres user when run as root),
                        Fleet:Database:Provider=Postgres: the scale-out mode the issue asks for.
  --database sqlite     one SQLite file both instances open: a development stand-in only.

Usage: python3 bench/scaleout_bench.py --counts 2000 [--database postgres] [--single-max 15000] [--no-build]
"""
import argparse, os, pwd, resource, shutil, signal, subprocess, sys, tempfile, time
import agents_bench as ab
import broadcast_bench as bb

PER_PROCESS = 15000


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(folder):
    port = free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                               cwd=folder, stdout=open(os.path.join(folder, "redis.log"), "w"), stderr=subprocess.STDOUT)
    if not ab.wait_for(lambda: subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True).stdout.strip() == "PONG", 20):
        raise RuntimeError("redis-server did not start")
    return process, f"127.0.0.1:{port}"


def as_postgres(command):
    if os.geteuid() == 0:
        return ["su", "postgres", "-c", command]
    return ["sh", "-c", command]


def start_postgres(folder):
    """A private cluster on a free loopback port; returns (stop function, Npgsql connection string)."""
    bindir = sorted(d for d in os.listdir("/usr/lib/postgresql"))[-1]
    bindir = f"/usr/lib/postgresql/{bindir}/bin"
    data = os.path.join(folder, "pg")
    os.makedirs(data)
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
        os.chown(data, user.pw_uid, user.pw_gid)
    port = free_port()
    subprocess.run(as_postgres(f"{bindir}/initdb -D {data} -U fleet --auth=trust -E UTF8 >/dev/null"), check=True)
    subprocess.run(as_postgres(f"{bindir}/pg_ctl -D {data} -l {data}/log -o '-p {port} -k {data} -c listen_addresses=127.0.0.1 -c max_connections=300' -w start >/dev/null"),
                   check=True)
    subprocess.run(as_postgres(f"{bindir}/createdb -h 127.0.0.1 -p {port} -U fleet fleet"), check=True)

    def stop():
        subprocess.run(as_postgres(f"{bindir}/pg_ctl -D {data} -m immediate stop >/dev/null"))
    return stop, f"Host=127.0.0.1;Port={port};Username=fleet;Database=fleet;Maximum Pool Size=100"


def start_instance(folder, name, port, database, redis):
    env = dict(os.environ,
               Fleet__Agents__AutoApprove="true",
               Fleet__Agents__EnrollmentToken=ab.ENROL,
               Fleet__Agents__HeartbeatSeconds="30",
               Fleet__LocalAgent__Enabled="false",
               Fleet__Bootstrap__AdminToken=ab.TOKEN,
               Fleet__Bootstrap__AdminPassword="bench-password-1",
               Fleet__Jobs__QuietHangfireLogs="true",
               Logging__LogLevel__Default="Warning")
    if database[0] == "postgres":
        env.update(Fleet__Database__Provider="Postgres", ConnectionStrings__Fleet=database[1], Fleet__Jobs__Storage="PostgreSql",
                   Fleet__DataFolder=os.path.join(folder, name))
    else:
        env.update(ConnectionStrings__Fleet=f"Data Source={folder}/fleet.db", Fleet__Jobs__Storage="InMemory")
    if redis:
        env.update(ConnectionStrings__Redis=redis)
    web_dir = os.path.join(ab.ROOT, "Fleet.Web", "bin", "Release", "net10.0")
    base = f"http://127.0.0.1:{port}"
    workdir = os.path.join(folder, name)
    os.makedirs(workdir, exist_ok=True)
    process = subprocess.Popen(["dotnet", os.path.join(web_dir, "Fleet.Web.dll"), "--urls", base], cwd=workdir, env=env,
                               stdout=open(os.path.join(folder, f"{name}.log"), "w"), stderr=subprocess.STDOUT)
    if not ab.wait_for(lambda: ab.get(f"{base}/readyz") is not None, 90):
        raise RuntimeError(f"instance {name} did not start; see {folder}/{name}.log")
    return process, base


def start_sims(folder, servers, count, ramp):
    agent = ab.agent_command()
    processes = (count + PER_PROCESS - 1) // PER_PROCESS
    sims = []
    for i, start in enumerate(range(0, count, PER_PROCESS)):
        n = min(PER_PROCESS, count - start)
        sims.append(subprocess.Popen([*agent, "simulate", "--server", ",".join(servers),
                                      "--enrollment-token", ab.ENROL, "--count", str(n), "--seed", str(i + 1),
                                      "--ramp", str(max(1, ramp // processes))],
                                     cwd=folder, stdout=open(os.path.join(folder, f"sim{i}.log"), "w"), stderr=subprocess.STDOUT))
    return sims


def stop(processes):
    for process in processes:
        if process and process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()


def run(count, instances, database_kind, ramp):
    folder = tempfile.mkdtemp(prefix="fleet-scaleout-")
    keep = False
    stops, processes = [], []
    try:
        database = ("sqlite", None)
        if database_kind == "postgres":
            stop_pg, connection = start_postgres(folder)
            stops.append(stop_pg)
            database = ("postgres", connection)
        redis = None
        if instances > 1:
            redis_process, redis = start_redis(folder)
            processes.append(redis_process)
        servers = []
        for index in range(instances):
            process, base = start_instance(folder, "ab"[index], free_port(), database, redis)
            processes.insert(0, process)
            servers.append((process, base))
        base = servers[0][1]
        processes[:0] = start_sims(folder, [b for _, b in servers], count, ramp)
        started = time.time()
        if not ab.wait_for(lambda: ab.get(f"{base}/api/v1/fleet/status")["online_hosts"] >= count, 1800):
            raise RuntimeError(f"not every agent came online; see {folder}")
        online_s = time.time() - started
        for process, _ in servers:
            ab.settle(process.pid)
        hostnames = [a["hostname"] for a in ab.get(f"{base}/api/v1/fleet/agents", timeout=120)["agents"]]
        cpu0 = [ab.cpu_seconds(p.pid) for p, _ in servers]
        started = time.time()
        result = bb.post(f"{base}/api/v1/fleet/broadcast/command", {"command": "true", "hostnames": hostnames, "timeout": 600, "parallel": True}, timeout=1200)
        wall = time.time() - started
        cpu = [100 * (ab.cpu_seconds(p.pid) - c) / wall for (p, _), c in zip(servers, cpu0)]
        rss = [ab.rss_kb(p.pid) / 1024 for p, _ in servers]
        completed = sum(1 for r in result["results"] if r["status"] == "completed")
        others = {}
        for r in result["results"]:
            if r["status"] != "completed":
                others[r["status"]] = others.get(r["status"], 0) + 1
        if others:
            keep = True
            print(f"  ({instances} instance(s): not completed by status: {others}; logs kept in {folder})", file=sys.stderr, flush=True)
        return {"online_s": online_s, "completed": completed, "other": len(result["results"]) - completed, "wall": wall, "cpu": cpu, "rss": rss}
    finally:
        stop(processes)
        for s in stops:
            s()
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--counts", default="2000")
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--ramp", type=int, default=1000)
    parser.add_argument("--single-max", type=int, default=15000,
                        help="the one-instance comparison runs at min(count, this): one process here cannot hold 30,000 agents")
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if not args.no_build:
        ab.build()
    print(f"database: {args.database}")
    print("| instances | agents | all online (s) | completed | failed/other | broadcast wall time (s) | server CPU during it (% of a core, per instance) | server RSS after (MB, per instance) |")
    print("|---|---|---|---|---|---|---|---|")
    for count in [int(c) for c in args.counts.split(",")]:
        for instances, agents in ((2, count), (1, min(count, args.single_max))):
            r = run(agents, instances, args.database, args.ramp)
            print(f"| {instances} | {agents} | {r['online_s']:.0f} | {r['completed']} | {r['other']} | {r['wall']:.2f} | "
                  f"{' / '.join(f'{c:.0f}' for c in r['cpu'])} | {' / '.join(f'{m:.0f}' for m in r['rss'])} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
