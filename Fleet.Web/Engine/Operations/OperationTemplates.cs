using Fleet.Domain.Execution;
using Fleet.Domain.Operations;

namespace Fleet.Web.Engine.Operations;

/// <summary>
/// The built-in job templates headless operations run, so an operation's runs show as ordinary jobs in the
/// dashboard and in seed 002. The scripts report their steps and verdicts with <see cref="OperationOutput"/>'s
/// markers. Every input they splice into the command line was held to a strict pattern by
/// <see cref="OperationParameters"/>, and they quote it anyway.
/// </summary>
public static class OperationTemplates
{
    public const string Category = "Headless operations";

    public static string NameOf(OperationType type) => type switch
    {
        OperationType.InventorySync => "Headless Operation - Inventory Sync",
        OperationType.HealthCheck => "Headless Operation - Health Check",
        OperationType.RestartService => "Headless Operation - Restart Service",
        OperationType.Update => "Headless Operation - Update",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "This operation type runs through the power provider, not a template."),
    };

    private static IReadOnlyList<TemplateInput> Inputs(OperationType type) =>
        OperationParameters.NamesOf(type).Select(name => new TemplateInput(name, $"The operation's {name} parameter")).ToList();

    public static IReadOnlyList<JobTemplate> All() =>
    [
        new(NameOf(OperationType.InventorySync), Category, InventorySync, Inputs(OperationType.InventorySync),
            "Re-read the hardware and software inventory", descriptionFormat: "Inventory sync", feature: "headless_inventory_sync"),
        new(NameOf(OperationType.HealthCheck), Category, HealthCheck, Inputs(OperationType.HealthCheck),
            "Check disk space, memory, network connectivity and services against thresholds", descriptionFormat: "Health check", feature: "headless_health_check"),
        new(NameOf(OperationType.RestartService), Category, RestartService, Inputs(OperationType.RestartService),
            "Restart a systemd service and check that it runs again", descriptionFormat: "Restart %{service_name}", feature: "headless_restart_service"),
        new(NameOf(OperationType.Update), Category, Update, Inputs(OperationType.Update),
            "Update packages with apt or dnf", descriptionFormat: "Update packages", feature: "headless_update"),
    ];

    private const string InventorySync =
        """
        set -u
        n=0
        [ "<%= input('sync_hardware') %>" = true ] && n=$((n+1))
        [ "<%= input('sync_software') %>" = true ] && n=$((n+1))
        [ "<%= input('update_location') %>" = true ] && n=$((n+1))
        [ "$n" -gt 0 ] || n=1
        echo "::tasks $n"
        if [ "<%= input('sync_hardware') %>" = true ]; then
          echo "::task collecting_hardware_inventory"
          for f in sys_vendor product_name product_serial; do
            [ -r "/sys/class/dmi/id/$f" ] && echo "$f: $(cat "/sys/class/dmi/id/$f")"
          done
          echo "cpus: $(grep -c ^processor /proc/cpuinfo)"
          grep -E '^MemTotal' /proc/meminfo
        fi
        if [ "<%= input('sync_software') %>" = true ]; then
          echo "::task updating_software_inventory"
          if command -v dpkg-query >/dev/null; then echo "packages: $(dpkg-query -W -f '.\n' | wc -l) (dpkg)"
          elif command -v rpm >/dev/null; then echo "packages: $(rpm -qa | wc -l) (rpm)"
          else echo "packages: no dpkg or rpm database"; fi
        fi
        if [ "<%= input('update_location') %>" = true ]; then
          echo "::task updating_location"
          echo "location: set on the host by the server"
        fi
        """;

    private const string HealthCheck =
        """
        set -u
        disk='<%= input('check_disk_space') %>'; mem='<%= input('check_memory_usage') %>'
        net='<%= input('check_network_connectivity') %>'; svc='<%= input('check_running_services') %>'
        disk_max=<%= input('disk_threshold_percent') %>; mem_max=<%= input('memory_threshold_percent') %>
        n=0
        for c in "$disk" "$mem" "$net" "$svc"; do [ "$c" = true ] && n=$((n+1)); done
        [ "$n" -gt 0 ] || n=1
        echo "::tasks $n"
        # Within 5 points of its threshold a figure is a warning, above it a failure.
        verdict() { if [ "$1" -gt "$2" ]; then echo fail; elif [ "$1" -ge $(($2 - 5)) ]; then echo warn; else echo pass; fi; }
        if [ "$disk" = true ]; then
          echo "::task checking_disk_space"
          df -P -x tmpfs -x devtmpfs -x squashfs 2>/dev/null | awk 'NR > 1 && $5 ~ /%$/ { sub("%", "", $5); print $6, $5 }' | sort -u -k1,1 |
          while read -r mount used; do
            echo "::check disk_space:$mount $(verdict "$used" "$disk_max") ${used}% used (threshold ${disk_max}%)"
          done
        fi
        if [ "$mem" = true ]; then
          echo "::task checking_memory_usage"
          used=$(awk '/^MemTotal:/ { t = $2 } /^MemAvailable:/ { a = $2 } END { if (t > 0) printf "%d", (t - a) * 100 / t + 0.999; else print 0 }' /proc/meminfo)
          echo "::check memory_usage $(verdict "$used" "$mem_max") ${used}% used (threshold ${mem_max}%)"
        fi
        if [ "$net" = true ]; then
          echo "::task checking_network_connectivity"
          targets='<%= input('connectivity_targets') %>'
          if [ -z "$targets" ]; then
            up=$(for i in /sys/class/net/*; do [ "$(basename "$i")" != lo ] && [ "$(cat "$i/operstate" 2>/dev/null)" != down ] && basename "$i"; done | tr '\n' ' ')
            if [ -n "$up" ]; then echo "::check network_interfaces pass up: $up"; else echo "::check network_interfaces fail no interface up besides lo"; fi
          fi
          for t in $targets; do
            if command -v ping >/dev/null && ping -c 1 -W 2 "$t" >/dev/null 2>&1; then echo "::check connectivity:$t pass answers ping"
            elif getent ahosts "$t" >/dev/null 2>&1 && ! command -v ping >/dev/null; then echo "::check connectivity:$t warn resolves; no ping to test it"
            else echo "::check connectivity:$t fail unreachable"; fi
          done
        fi
        if [ "$svc" = true ]; then
          echo "::task checking_running_services"
          services='<%= input('services') %>'
          if ! command -v systemctl >/dev/null || [ ! -d /run/systemd/system ]; then
            echo "::check services warn systemd is not running here; services not checked"
          elif [ -z "$services" ]; then
            failed=$(systemctl list-units --state=failed --no-legend --plain 2>/dev/null | awk '{ print $1 }' | tr '\n' ' ')
            if [ -z "$failed" ]; then echo "::check services pass no failed units"; else echo "::check services fail failed units: $failed"; fi
          fi
          for s in $services; do
            state=$(systemctl is-active "$s" 2>/dev/null)
            if [ "$state" = active ]; then echo "::check service:$s pass active"; else echo "::check service:$s fail ${state:-unknown}"; fi
          done
        fi
        exit 0
        """;

    private const string RestartService =
        """
        set -u
        name='<%= input('service_name') %>'
        echo "::tasks 2"
        echo "::task restarting_service"
        systemctl restart "$name" || exit $?
        echo "::task verifying_status"
        if [ "<%= input('verify_status') %>" = true ]; then
          state=$(systemctl is-active "$name")
          echo "$name is $state"
          [ "$state" = active ] || exit 3
        fi
        """;

    private const string Update =
        """
        set -eu
        packages='<%= input('package_list') %>'
        echo "::tasks 2"
        echo "::task refreshing_package_lists"
        if command -v apt-get >/dev/null; then
          export DEBIAN_FRONTEND=noninteractive
          apt-get update -q
          echo "::task installing_updates"
          if [ -n "$packages" ]; then apt-get install -y -q --only-upgrade $packages
          elif [ "<%= input('security_only') %>" = true ] && command -v unattended-upgrade >/dev/null; then unattended-upgrade -v
          else apt-get upgrade -y -q; fi
        elif command -v dnf >/dev/null; then
          dnf -q makecache
          echo "::task installing_updates"
          if [ "<%= input('security_only') %>" = true ]; then dnf -y upgrade --security $packages; else dnf -y upgrade $packages; fi
        else
          echo "No supported package manager (apt-get, dnf) found" >&2; exit 2
        fi
        """;
}
