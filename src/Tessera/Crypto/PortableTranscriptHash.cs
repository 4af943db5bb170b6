using System.Security.Cryptography;

namespace Tessera.Crypto;

/// <summary>The portable provider's transcript hash: .NET's <see cref="IncrementalHash"/>.</summary>
internal sealed class PortableTranscriptHash : TranscriptHash
{
    private readonly IncrementalHash _hash;

    public PortableTranscriptHash(HashAlgorithmName algorithm) : this(IncrementalHash.CreateHash(algorithm))
    {
    }

    private PortableTranscriptHash(IncrementalHash hash) => _hash = hash;

    public override HashAlgorithmName Algorithm => _hash.AlgorithmName;

    public override void Append(ReadOnlySpan<byte> data) => _hash.AppendData(data);

    public override void GetCurrentHash(Span<byte> output)
    {
        if (output.Length != Length || !_hash.TryGetCurrentHash(output, out _))
            throw TlsException.Internal($"a {Algorithm.Name} transcript hash is {Length} bytes, not {output.Length}");
    }

    public override TranscriptHash Clone() => new PortableTranscriptHash(_hash.Clone());

    public override void Dispose() => _hash.Dispose();
}
