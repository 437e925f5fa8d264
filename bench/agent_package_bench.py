#!/usr/bin/env python3
"""Agent package figures (issue 10): publish time and size of the NativeAOT agent, and idle RSS of the published agent
and of the framework-dependent one, each connected to a server for 30 s.

Publishes with scripts/publish-agent.sh, starts Fleet.Web (the build output given by --config) on a fresh data folder,
uploads the package, installs it with the server's own install.sh (--no-systemd, temporary prefix), waits until the host
is online, waits 30 s more and reads the agent's RSS with `ps -o rss=`. Then the same for `dotnet Fleet.Agent.dll`.

    python3 bench/agent_package_bench.py [--config Debug|Release] [--idle 30]
"""
import argparse, json, os, shutil, signal, subprocess, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = "bench-admin-token-0123456789"
ENROL = "bench-enrol"
VERSION = "0.1.0-bench"


def api(base, path, data=None, headers=None, method=None):
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers=dict({"Authorization": "Bearer " + TOKEN}, **(headers or {})))
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def wait_online(base, version, timeout=120):
    """By version: the real inventory reports the machine's own hostname, which replaces the one given to the agent."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for agent in json.loads(api(base, "/api/v1/fleet/agents"))["agents"]:
            if agent.get("version") == version and agent.get("status") == "online":
                return agent
        time.sleep(0.5)
    raise SystemExit(f"no agent {version} came online")


def rss_mb(pid):
    return int(subprocess.run(["ps", "-o", "rss=", "-p", str(pid)], capture_output=True, text=True).stdout.strip()) / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", default="Debug")
    parser.add_argument("--idle", type=int, default=30)
    parser.add_argument("--port", type=int, default=5391)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="fleet-agent-bench-")
    base = f"http://127.0.0.1:{args.port}"
    processes = []
    try:
        started = time.time()
        subprocess.run(["sh", os.path.join(ROOT, "scripts", "publish-agent.sh"), VERSION, os.path.join(work, "package")], check=True)
        publish_seconds = time.time() - started
        package = os.path.join(work, "package", "fleet-agent")
        size = os.path.getsize(package)

        env = dict(os.environ, ConnectionStrings__Fleet=f"Data Source={work}/data/fleet.db", Fleet__Agents__AutoApprove="true",
                   Fleet__Agents__EnrollmentToken=ENROL, Fleet__LocalAgent__Enabled="false", Fleet__Bootstrap__AdminToken=TOKEN,
                   Fleet__Bootstrap__AdminPassword="bench-password-1", Fleet__Jobs__QuietHangfireLogs="true")
        web = os.path.join(ROOT, "Fleet.Web", "bin", args.config, "net10.0", "Fleet.Web.dll")
        server = subprocess.Popen(["dotnet", web, "--urls", base], cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(server)
        for _ in range(240):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.5)

        boundary = "fleetbench"
        with open(package, "rb") as f:
            body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"version\"\r\n\r\n{VERSION}\r\n"
                    f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"fleet-agent\"\r\n"
                    "Content-Type: application/octet-stream\r\n\r\n").encode() + f.read() + f"\r\n--{boundary}--\r\n".encode()
        api(base, "/api/agent/packages", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}, "POST")

        script = os.path.join(work, "install.sh")
        with open(script, "wb") as f:
            f.write(urllib.request.urlopen(base + "/agent/install.sh").read())
        prefix = os.path.join(work, "opt")
        subprocess.run(["sh", script, "--server", base, "--token", ENROL, "--version", VERSION, "--prefix", prefix,
                        "--state-dir", os.path.join(work, "state"), "--hostname", "bench-aot", "--machine-id", "bench-aot", "--no-systemd"],
                       check=True, stdout=subprocess.DEVNULL)
        wait_online(base, VERSION)
        time.sleep(args.idle)
        aot_pid = int(open(os.path.join(prefix, "agent.pid")).read())
        aot_rss = rss_mb(aot_pid)

        dll = os.path.join(ROOT, "Fleet.Agent", "bin", args.config, "net10.0", "Fleet.Agent.dll")
        jit = subprocess.Popen(["dotnet", dll, "--server", base, "--enrollment-token", ENROL, "--state-dir", os.path.join(work, "jit-state"),
                                "--machine-id", "bench-jit", "--hostname", "bench-jit"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(jit)
        wait_online(base, subprocess.run(["dotnet", dll, "version"], capture_output=True, text=True).stdout.strip())
        time.sleep(args.idle)
        jit_rss = rss_mb(jit.pid)

        print(f"package: {size / 1e6:.1f} MB ({size} bytes), publish {publish_seconds:.0f} s")
        print(f"idle RSS after {args.idle} s connected: published agent {aot_rss:.1f} MB, framework-dependent agent ({args.config}) {jit_rss:.1f} MB")
    finally:
        launcher = os.path.join(work, "opt", "launcher.pid")
        if os.path.exists(launcher):
            pid = int(open(launcher).read())
            for line in subprocess.run(["ps", "-o", "pid=", "-s", str(pid)], capture_output=True, text=True).stdout.split():
                try:
                    os.kill(int(line), signal.SIGKILL)
                except ProcessLookupError:
                    pass
        for process in processes:
            process.kill()
            process.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
