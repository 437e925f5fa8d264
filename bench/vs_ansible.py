#!/usr/bin/env python3
"""Fleet against Ansible, side by side on one machine (issue 11).

Runs `true` on N hosts both ways and prints both times and their ratio:
  - Ansible ad-hoc (`ansible all -m command -a true`) over SSH to N loopback addresses (127.0.1.1, 127.0.1.2, ...), served
    by private sshd processes (one per 16 addresses: own config, host key and authorised key under a temporary folder,
    UsePAM no), tuned as a careful user would: pipelining, ControlPersist (the timed run is the second, with the
    connections already open), an explicit interpreter, forks 50, host key checking off for this temporary inventory;
  - Fleet: a seed 002 job (`POST /api/job_invocations`, run_script `true` on every host) on N agents of
    `fleet-agent simulate --exec` (each really starts the command as a process, at most --exec-processes at once), timed from
    the POST until the last host's success as the server stamped it (latency_bench.run_job); the first job is not counted.

Installs Debian's `ansible` and `openssh-server` with apt-get when missing. Loopback only; every step has a time limit;
sshd, the ControlPersist connections, the server and the simulator are stopped and the temporary folder removed at the end.

Usage: python3 bench/vs_ansible.py --hosts 20 [--forks 50] [--exec-processes P] [--runs 3] [--no-build]
"""
import argparse, glob, os, resource, shutil, signal, socket, statistics, subprocess, sys, tempfile, time
import agents_bench as ab
import latency_bench as lb

HOSTS_PER_SSHD = 16


def ensure_installed():
    missing = [package for package, path in (("ansible", "/usr/bin/ansible"), ("openssh-server", "/usr/sbin/sshd")) if not os.path.exists(path)]
    if not missing:
        return
    if os.geteuid() != 0:
        raise SystemExit(f"missing {', '.join(missing)}; only root can install them (apt-get install {' '.join(missing)})")
    install = ["apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-qq", *missing]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if subprocess.run(install, env=env, timeout=1800).returncode != 0:
        subprocess.run(["apt-get", "-o", "DPkg::Lock::Timeout=600", "update", "-qq"], env=env, check=True, timeout=1800)
        subprocess.run(install, env=env, check=True, timeout=1800)


def addresses(count):
    # 127.0.1.1 … 127.0.1.250, then 127.0.2.1 …: all loopback (127.0.0.0/8), none the machine's own 127.0.0.1.
    return [f"127.0.{1 + i // 250}.{1 + i % 250}" for i in range(count)]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_sshds(folder, hosts, port):
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", f"{folder}/host_ed25519"], check=True, timeout=60)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", f"{folder}/client_ed25519"], check=True, timeout=60)
    os.makedirs(f"{folder}/authorized_keys")
    shutil.copy(f"{folder}/client_ed25519.pub", f"{folder}/authorized_keys/root")
    os.makedirs("/run/sshd", exist_ok=True)
    sshds = []
    for group, start in enumerate(range(0, len(hosts), HOSTS_PER_SSHD)):
        config = f"{folder}/sshd_config-{group}"
        with open(config, "w") as f:
            for address in hosts[start:start + HOSTS_PER_SSHD]:
                f.write(f"ListenAddress {address}:{port}\n")
            f.write(f"HostKey {folder}/host_ed25519\nPidFile {folder}/sshd-{group}.pid\nAuthorizedKeysFile {folder}/authorized_keys/%u\n"
                    "UsePAM no\nStrictModes no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nPubkeyAuthentication yes\n"
                    "PermitRootLogin prohibit-password\nAllowUsers root\n"
                    # Ansible opens up to `forks` connections at once; the default (10:30:100) would drop some of them.
                    "MaxStartups 200\nMaxSessions 50\nUseDNS no\nLogLevel ERROR\n")
        sshds.append(subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", config], stdout=open(f"{folder}/sshd-{group}.log", "w"),
                                      stderr=subprocess.STDOUT, start_new_session=True))

    def listening():
        for address in hosts:
            with socket.socket() as s:
                s.settimeout(1)
                if s.connect_ex((address, port)) != 0:
                    return False
        return True
    if not ab.wait_for(listening, 30, 0.2):
        raise RuntimeError(f"sshd did not listen on every address; see {folder}/sshd-*.log")
    return sshds


def write_ansible_files(folder, hosts, port, forks):
    with open(f"{folder}/inventory.ini", "w") as f:
        f.write("[bench]\n")
        for i, address in enumerate(hosts):
            f.write(f"h{i:04d} ansible_host={address} ansible_port={port}\n")
        f.write(f"[bench:vars]\nansible_user=root\nansible_ssh_private_key_file={folder}/client_ed25519\n"
                "ansible_python_interpreter=/usr/bin/python3\n")
    with open(f"{folder}/ansible.cfg", "w") as f:
        f.write(f"[defaults]\ninventory = {folder}/inventory.ini\nforks = {forks}\nhost_key_checking = False\n"
                "interpreter_python = /usr/bin/python3\ngathering = explicit\nretry_files_enabled = False\n"
                f"local_tmp = {folder}/ansible-local\n"
                "[ssh_connection]\npipelining = True\n"
                f"control_path_dir = {folder}/cp\n"
                "ssh_args = -o ControlMaster=auto -o ControlPersist=120s -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no\n")


def run_ansible(folder, hosts):
    env = dict(os.environ, ANSIBLE_CONFIG=f"{folder}/ansible.cfg", ANSIBLE_HOME=f"{folder}/ansible-home")
    started = time.perf_counter()
    done = subprocess.run(["ansible", "bench", "-m", "command", "-a", "true", "-o"], env=env, capture_output=True, text=True,
                          timeout=120 + 2 * len(hosts))
    elapsed = time.perf_counter() - started
    ok = sum(1 for line in done.stdout.splitlines() if "| CHANGED |" in line or "| SUCCESS |" in line)
    if ok != len(hosts):
        raise RuntimeError(f"ansible: {ok} of {len(hosts)} hosts succeeded\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return elapsed


def close_control_masters(folder):
    for path in glob.glob(f"{folder}/cp/*"):
        subprocess.run(["ssh", "-o", f"ControlPath={path}", "-O", "exit", "unused"], capture_output=True, timeout=10)


def run_fleet_job(base, count):
    return lb.run_job(base, "name ~ sim-", count, timeout=120 + count)[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--forks", type=int, default=50)
    parser.add_argument("--exec-processes", type=int, default=0, help="processes at once in the simulator (default: --forks, the bound Ansible gets)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs each way after the warm-up run (the median is compared)")
    parser.add_argument("--port", type=int, default=5094)
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    if not 1 <= args.hosts <= 2000:
        raise SystemExit("--hosts must be between 1 and 2000")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    ensure_installed()
    if not args.no_build:
        ab.build()

    folder = tempfile.mkdtemp(prefix="fleet-vs-ansible-")
    hosts = addresses(args.hosts)
    sshds, server, sims, data = [], None, [], None
    try:
        port = free_port()
        sshds = start_sshds(folder, hosts, port)
        write_ansible_files(folder, hosts, port, args.forks)
        ansible_cold = run_ansible(folder, hosts)
        ansible = [run_ansible(folder, hosts) for _ in range(args.runs)]
        close_control_masters(folder)

        data, base, server = ab.start_server(30, args.port)
        extra = ["--exec", "--exec-processes", str(args.exec_processes or args.forks)]
        sims = ab.start_sims(data, base, args.hosts, 500, extra)
        if not ab.wait_for(lambda: ab.get(f"{base}/api/v1/fleet/status")["online_hosts"] >= args.hosts, 600):
            raise RuntimeError(f"not all {args.hosts} simulated agents came online; see {data}")
        ab.settle(server.pid)
        fleet_cold = run_fleet_job(base, args.hosts)
        fleet = [run_fleet_job(base, args.hosts) for _ in range(args.runs)]

        a, f = statistics.median(ansible), statistics.median(fleet)
        print(f"machine load (1 min) at the end: {os.getloadavg()[0]:.2f}")
        print("| hosts | Ansible ad-hoc, first run (s) | Ansible warm, median of runs (s) | Fleet first job (s) | Fleet warm, median (s) | Fleet faster by |")
        print("|---|---|---|---|---|---|")
        print(f"| {args.hosts} | {ansible_cold:.2f} | {a:.2f} ({', '.join(f'{x:.2f}' for x in ansible)}) | {fleet_cold:.3f} | "
              f"{f:.3f} ({', '.join(f'{x:.3f}' for x in fleet)}) | {a / f:.1f}× |")
    finally:
        close_control_masters(folder)
        for sshd in sshds:
            if sshd.poll() is None:
                os.killpg(sshd.pid, signal.SIGTERM)
                try:
                    sshd.wait(10)
                except subprocess.TimeoutExpired:
                    os.killpg(sshd.pid, signal.SIGKILL)
        if server is not None:
            ab.stop_fleet(data, server, sims)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
