using Fleet.Domain.Execution;

namespace Fleet.Web.Engine.Execution;

/// <summary>The templates every Fleet install starts with. Names follow Foreman's, so integrations find them.</summary>
public static class BuiltInTemplates
{
    public const string RunCommand = "Run Command - Script Default";

    public static IReadOnlyList<JobTemplate> All() =>
    [
        new(RunCommand, "Commands", "<%= input('command') %>",
            [new TemplateInput("command", "The command to run, as a shell script", Required: true)],
            "Run any shell command", descriptionFormat: "Run %{command}", feature: "run_script"),
        new("Service Action - Script Default", "Services", "systemctl <%= input('action') %> <%= input('service') %>",
            [
                new TemplateInput("action", "What to do with the service", Required: true, Default: "restart", Options: ["start", "stop", "restart", "status", "reload"]),
                new TemplateInput("service", "Service (unit) name", Required: true),
            ],
            "Start, stop, restart or check a systemd service", descriptionFormat: "%{action} %{service}", feature: "service_action"),
        new("Package Action - Script Default", "Packages",
            """
            set -e
            if command -v apt-get >/dev/null; then
              export DEBIAN_FRONTEND=noninteractive
              case "<%= input('action') %>" in
                install) apt-get install -y <%= input('package') %> ;;
                remove) apt-get remove -y <%= input('package') %> ;;
                update) apt-get update && apt-get install -y --only-upgrade <%= input('package') %> ;;
              esac
            elif command -v dnf >/dev/null; then
              dnf -y <%= input('action') %> <%= input('package') %>
            else
              echo "No supported package manager (apt-get, dnf) found" >&2; exit 2
            fi
            """,
            [
                new TemplateInput("action", "install, remove or update", Required: true, Default: "install", Options: ["install", "remove", "update"]),
                new TemplateInput("package", "Package name(s), space separated", Required: true),
            ],
            "Install, remove or update packages with the host's package manager", descriptionFormat: "Package %{action} %{package}", feature: "katello_package_install"),
        new("Uptime and Disk Report", "Reports", "uptime\necho\ndf -hP -x tmpfs -x devtmpfs",
            [], "How long the host has been up, its load, and disk usage", defaultTimeoutSeconds: 60, feature: "uptime_report"),
        .. Operations.OperationTemplates.All(),
    ];
}
