#!/usr/bin/env bash
# Runs every Fleet test: unit, component (bunit), API with real agents, and browser tests in Debian's
# Chromium. Installs what the tests need when it is missing, so it works on a fresh machine.
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Api").
set -uo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! [ -x /usr/bin/chromium ]; then
  echo "test.sh: installing Debian's Chromium for the browser tests (about a minute)..."
  as_root apt-get update -qq >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || { echo "test.sh: could not install chromium"; exit 1; }
fi

# NativeAOT (the agent package Fleet.Web's build publishes, and the update tests' two versions) links with clang and zlib.
if ! command -v clang >/dev/null 2>&1 || ! [ -f /usr/include/zlib.h ]; then
  echo "test.sh: installing clang and zlib1g-dev for the NativeAOT agent package..."
  as_root apt-get update -qq >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq clang zlib1g-dev >/dev/null || { echo "test.sh: could not install clang zlib1g-dev"; exit 1; }
fi

if ! [ -x /usr/sbin/sshd ]; then
  echo "test.sh: installing Debian's openssh-server for the remote-install tests (each test starts its own private sshd)..."
  as_root apt-get update -qq >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq openssh-server >/dev/null || { echo "test.sh: could not install openssh-server"; exit 1; }
fi

if ! [ -x /usr/bin/redis-server ]; then
  echo "test.sh: installing Debian's redis-server for the scale-out tests (each test starts its own private redis-server)..."
  as_root apt-get update -qq >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq redis-server >/dev/null || { echo "test.sh: could not install redis-server"; exit 1; }
fi

if ! [ -x /usr/lib/postgresql/15/bin/initdb ] && ! command -v initdb >/dev/null 2>&1; then
  echo "test.sh: installing Debian's postgresql for the scale-out tests (each test run starts its own private cluster)..."
  as_root apt-get update -qq >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq postgresql >/dev/null || { echo "test.sh: could not install postgresql"; exit 1; }
fi

dotnet tool restore >/dev/null
rm -rf TestResults
dotnet test Fleet.sln --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" --results-directory TestResults "$@"
status=$?

# Names what failed in one TRX, to print just above the counts, where the tail of a CI log still shows it.
name_failures() {
  if command -v python3 >/dev/null 2>&1; then
    python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
failed = [r for r in ET.parse(sys.argv[1]).getroot().iterfind(".//t:UnitTestResult", ns) if r.get("outcome") == "Failed"]
for r in failed[:30]:
    message = (r.findtext("t:Output/t:ErrorInfo/t:Message", "", ns) or "").strip().splitlines()
    print("FAILED " + r.get("testName", "?") + (": " + message[0][:200] if message else ""))
if len(failed) > 30: print(f"... and {len(failed) - 30} more failed")
PY
  else
    grep -o 'testName="[^"]*"[^>]*outcome="Failed"' "$1" | sed 's/testName="\([^"]*\)".*/FAILED \1/' | head -n 30
  fi
}

passed=0
failed=0
for trx in TestResults/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  if [ "${f:-0}" -gt 0 ]; then name_failures "$trx"; fi
done
# A build failure or crashed test host leaves no counts: report it as a failure, never as success.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
exit "$status"
