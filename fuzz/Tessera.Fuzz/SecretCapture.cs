using Tessera.Diagnostics;

namespace Tessera.Fuzz;

/// <summary>
/// The key log of a fuzz session: both connections write their TLS 1.3 traffic secrets here (NSS labels), so the
/// record rewriter can open and reseal what one side sends to the other. Fuzzing only: a real key log never holds
/// secrets in memory for someone else to use.
/// </summary>
internal sealed class SecretCapture : IKeyLogWriter
{
    private readonly Dictionary<string, byte[]> _secrets = new(StringComparer.Ordinal);

    public void Write(string label, ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> secret) => _secrets[label] = secret.ToArray();

    public byte[]? Find(string label) => _secrets.GetValueOrDefault(label);
}
