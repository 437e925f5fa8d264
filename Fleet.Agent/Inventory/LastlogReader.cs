using Microsoft.Win32.SafeHandles;

namespace Fleet.Agent.Inventory;

/// <summary>
/// Reads last-login times from the binary /var/log/lastlog: a sparse array indexed by uid of
/// struct lastlog { int32 ll_time; char ll_line[32]; char ll_host[256]; } (292 bytes, also on 64-bit).
/// Distributions that moved to lastlog2 leave the file empty or absent; every uid then reads as null.
/// </summary>
public sealed class LastlogReader : IDisposable
{
    public const int RecordSize = 292;

    private readonly SafeFileHandle? _handle;
    private readonly long _length;

    public LastlogReader(string path)
    {
        try
        {
            _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            _length = RandomAccess.GetLength(_handle);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _handle = null;
        }
    }

    public DateTimeOffset? LastLogin(int uid)
    {
        if (_handle is null || uid < 0) return null;
        var offset = (long)uid * RecordSize;
        if (offset + sizeof(int) > _length) return null;
        Span<byte> time = stackalloc byte[sizeof(int)];
        try
        {
            if (RandomAccess.Read(_handle, time, offset) < sizeof(int)) return null;
        }
        catch (IOException)
        {
            return null;
        }
        // The file is the C struct as written by this machine, so native byte order. Holes of the
        // sparse file read as zero: the user never logged in.
        var seconds = BitConverter.ToInt32(time);
        return seconds > 0 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
    }

    public void Dispose() => _handle?.Dispose();
}
