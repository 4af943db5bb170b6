#pragma warning disable CS1591 // members not yet documented one by one (the type's summary and the RFC's names carry them); new public API is
// documented in full, which the build enforces everywhere else.
namespace Tessera.Diagnostics;

/// <summary>
/// Appends lines in the NSS key log format ("LABEL &lt;client_random hex&gt; &lt;secret hex&gt;") to a file,
/// the format Wireshark and curl's SSLKEYLOGFILE use.
/// </summary>
public sealed class NssKeyLogFile : IKeyLogWriter
{
    private readonly string _path;
    private readonly Lock _lock = new();

    public NssKeyLogFile(string path) => _path = path;

    /// <summary>A writer for the file named by SSLKEYLOGFILE, or null when it is unset.</summary>
    public static NssKeyLogFile? FromEnvironment() =>
        Environment.GetEnvironmentVariable("SSLKEYLOGFILE") is { Length: > 0 } p ? new NssKeyLogFile(p) : null;

    public void Write(string label, ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> secret)
    {
        var line = $"{label} {Convert.ToHexStringLower(clientRandom)} {Convert.ToHexStringLower(secret)}\n";
        lock (_lock) File.AppendAllText(_path, line);
    }
}
