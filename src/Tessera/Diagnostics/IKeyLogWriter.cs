namespace Tessera.Diagnostics;

/// <summary>
/// Receives secrets in NSS key log form (label, client random, secret) so tools like Wireshark can decrypt
/// a capture. Only ever called when the user configured one.
/// </summary>
public interface IKeyLogWriter
{
    /// <summary>One key log line: <paramref name="label"/> (CLIENT_HANDSHAKE_TRAFFIC_SECRET, CLIENT_RANDOM …), the connection's client random, the secret.</summary>
    void Write(string label, ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> secret);
}
