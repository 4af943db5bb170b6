using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Tessera.Wire;

namespace Tessera.Crypto;

/// <summary>Ed25519 (RFC 8032) through BouncyCastle's primitive.</summary>
internal sealed class Ed25519SigningKey : TlsSigningKey
{
    private readonly Ed25519PrivateKeyParameters _key;

    public Ed25519SigningKey(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != Ed25519PrivateKeyParameters.KeySize) throw new ArgumentException("an Ed25519 seed is 32 bytes");
        _key = new Ed25519PrivateKeyParameters(seed);
    }

    public override IReadOnlyList<SignatureScheme> Schemes { get; } = [SignatureScheme.Ed25519];

    public override byte[] Sign(SignatureScheme scheme, ReadOnlySpan<byte> data)
    {
        Require(scheme);
        var signer = new Ed25519Signer();
        signer.Init(true, _key);
        signer.BlockUpdate(data);
        return signer.GenerateSignature();
    }

    /// <summary>Throws unless this key, not yet disposed, can sign under <paramref name="scheme"/>.</summary>
    internal void Require(SignatureScheme scheme)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        RequireScheme(Schemes, scheme);
    }

    /// <summary>The 32-byte seed, for a provider that signs with its own implementation (the caller clears it).</summary>
    internal byte[] ExportSeed() => _key.GetEncoded();

    private bool _disposed;

    public override void Dispose()
    {
        _disposed = true;
        base.Dispose();
    }
}
