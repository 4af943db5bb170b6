namespace Tessera.Diagnostics;

/// <summary>
/// Appends lines in the NSS key log format ("LABEL &lt;client_random hex&gt; &lt;secret hex&gt;") to a file,
/// the format Wireshark and curl's SSLKEYLOGFILE use.
/// </summary>
public sealed class NssKeyLogFile : IKeyLogWriter
{
    private readonly string _path;
    private readonly Lock _lock = new();

    /// <summary>A writer that appends to the file at <paramref name="path"/> (created when missing).</summary>
    public NssKeyLogFile(string path) => _path = path;

    /// <summary>A writer for the file named by SSLKEYLOGFILE, or null when it is unset.</summary>
    public static NssKeyLogFile? FromEnvironment() =>
        Environment.GetEnvironmentVariable("SSLKEYLOGFILE") is { Length: > 0 } p ? new NssKeyLogFile(p) : null;

    /// <inheritdoc />
    public void Write(string label, ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> secret)
    {
        var line = $"{label} {Convert.ToHexStringLower(clientRandom)} {Convert.ToHexStringLower(secret)}\n";
        lock (_lock) File.AppendAllText(_path, line);
    }
}
