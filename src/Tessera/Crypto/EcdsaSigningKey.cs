using System.Security.Cryptography;
using Tessera.Wire;

namespace Tessera.Crypto;

internal sealed class EcdsaSigningKey : TlsSigningKey
{
    private readonly ECDsa _key;

    public EcdsaSigningKey(ECDsa key)
    {
        _key = key;
        Schemes = key.KeySize switch
        {
            256 => [SignatureScheme.EcdsaSecp256r1Sha256],
            384 => [SignatureScheme.EcdsaSecp384r1Sha384],
            _ => throw new ArgumentException($"ECDSA keys on a {key.KeySize}-bit curve are not supported; use P-256 or P-384"),
        };
    }

    public override IReadOnlyList<SignatureScheme> Schemes { get; }

    public override byte[] Sign(SignatureScheme scheme, ReadOnlySpan<byte> data)
    {
        Require(scheme);
        return _key.SignData(data, SignatureSchemes.HashOf(scheme), DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>Throws unless this key, not yet disposed, can sign under <paramref name="scheme"/>.</summary>
    internal void Require(SignatureScheme scheme)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        RequireScheme(Schemes, scheme);
    }

    /// <summary>
    /// The private parameters for a provider that signs with its own implementation, or null when the platform
    /// will not export them (a key kept non-exportable); such a key then signs itself.
    /// </summary>
    internal ECParameters? TryExportPrivate()
    {
        try
        {
            return _key.ExportParameters(includePrivateParameters: true);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    public override void Dispose()
    {
        _disposed = true;
        _key.Dispose();
        base.Dispose();
    }

    private bool _disposed;
}
