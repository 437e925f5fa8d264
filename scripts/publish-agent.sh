#!/bin/sh
# Publishes the Fleet agent as one self-contained linux-x64 executable (NativeAOT: no .NET needed on the host) and
# prints the file and its SHA-256. Beside it: fleet-agent.sha256 (as sha256sum prints it) and version.
#
#   scripts/publish-agent.sh [version] [outdir]      defaults: the version in Directory.Build.props, ./artifacts/agent
#
# NativeAOT links with the system's clang and zlib: apt-get install -y clang zlib1g-dev
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
version=${1:-}
out=${2:-$root/artifacts/agent}
[ -n "$version" ] || version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props" | head -n 1)
case $version in
  ''|*[!0-9A-Za-z._-]*) echo "publish-agent.sh: '$version' is not a package version (letters, digits, '.', '_', '-')" >&2; exit 2 ;;
esac
if ! command -v clang >/dev/null 2>&1; then
  echo "publish-agent.sh: NativeAOT needs clang and zlib1g-dev: apt-get install -y clang zlib1g-dev" >&2
  exit 1
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
staging=$out/.publish-$version
rm -rf "$staging"
# Release, linux-x64, NativeAOT (PublishAot is set in Fleet.Agent.csproj, and only publishing acts on it).
dotnet publish "$root/Fleet.Agent/Fleet.Agent.csproj" -c Release -r linux-x64 -p:Version="$version" -o "$staging" --nologo -v:q -clp:NoSummary
cp "$staging/Fleet.Agent" "$out/fleet-agent.new"
rm -rf "$staging"
chmod 755 "$out/fleet-agent.new"
mv -f "$out/fleet-agent.new" "$out/fleet-agent"
sha=$(sha256sum "$out/fleet-agent" | cut -d' ' -f1)
printf '%s  fleet-agent\n' "$sha" > "$out/fleet-agent.sha256"
printf '%s\n' "$version" > "$out/version"
echo "$out/fleet-agent"
echo "version $version, $(wc -c < "$out/fleet-agent") bytes, sha256 $sha"
