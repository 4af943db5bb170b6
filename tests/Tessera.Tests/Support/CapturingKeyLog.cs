using Tessera.Diagnostics;

namespace Tessera.Tests.Support;

internal sealed class CapturingKeyLog : IKeyLogWriter
{
    public Dictionary<string, byte[]> Secrets { get; } = [];
    public List<string> Lines { get; } = [];

    public void Write(string label, ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> secret)
    {
        Secrets[label] = secret.ToArray();
        Lines.Add($"{label} {Convert.ToHexStringLower(clientRandom)} {Convert.ToHexStringLower(secret)}");
    }
}
