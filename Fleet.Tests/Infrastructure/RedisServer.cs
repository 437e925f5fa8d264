using System.Diagnostics;
using System.Net.Sockets;

namespace Fleet.Tests.Infrastructure;

/// <summary>
/// A private redis-server on a free loopback port, nothing saved to disk, run as a child process and killed on Dispose.
/// test.sh installs Debian's redis-server when it is missing.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private const string Executable = "/usr/bin/redis-server";
    private readonly Process _process;

    public RedisServer()
    {
        if (!File.Exists(Executable)) throw new InvalidOperationException($"{Executable} is missing: apt-get install -y redis-server (./test.sh does).");
        Port = ProgramProcess.FreePort();
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
            start.ArgumentList.Add(argument);
        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start redis-server.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Eventually.Until(Accepts, $"redis-server to listen on port {Port}", TimeSpan.FromSeconds(20)).GetAwaiter().GetResult();
    }

    public int Port { get; }

    /// <summary>The value for <c>ConnectionStrings:Redis</c>.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    private bool Accepts()
    {
        if (_process.HasExited) throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode}.");
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }
}
