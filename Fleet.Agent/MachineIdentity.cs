namespace Fleet.Agent;

public static class MachineIdentity
{
    /// <summary>The kernel's id of this boot: it changes exactly when the machine restarts. Null where there is none.</summary>
    public static string? BootId()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>/etc/machine-id when the system has one (stable across agent re-installs), else an id kept in the state dir.</summary>
    public static string Read(string stateDir)
    {
        if (System() is { } id) return id;
        var own = Path.Combine(stateDir, "machine-id");
        if (File.Exists(own)) return File.ReadAllText(own).Trim();
        Directory.CreateDirectory(stateDir);
        var generated = Guid.NewGuid().ToString("N");
        File.WriteAllText(own, generated);
        return generated;
    }

    /// <summary>The operating system's own machine id, or null where it has none.</summary>
    public static string? System()
    {
        foreach (var path in new[] { "/etc/machine-id", "/var/lib/dbus/machine-id" })
        {
            try
            {
                var id = File.Exists(path) ? File.ReadAllText(path).Trim() : "";
                if (id.Length > 0) return id;
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return null;
    }
}
