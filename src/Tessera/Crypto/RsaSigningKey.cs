using System.Security.Cryptography;
using Tessera.Wire;

namespace Tessera.Crypto;

/// <summary>RSA signs with PSS only in TLS 1.3 (RFC 8446 §4.2.3); rsae or pss schemes depending on the certificate's key OID.</summary>
internal sealed class RsaSigningKey : TlsSigningKey
{
    private readonly RSA _key;

    public RsaSigningKey(RSA key, bool pssOnlyKey)
    {
        _key = key;
        Schemes = pssOnlyKey
            ? [SignatureScheme.RsaPssPssSha256, SignatureScheme.RsaPssPssSha384, SignatureScheme.RsaPssPssSha512]
            : [SignatureScheme.RsaPssRsaeSha256, SignatureScheme.RsaPssRsaeSha384, SignatureScheme.RsaPssRsaeSha512];
        Tls12Schemes = pssOnlyKey
            ? Schemes
            : [.. Schemes, SignatureScheme.RsaPkcs1Sha256, SignatureScheme.RsaPkcs1Sha384, SignatureScheme.RsaPkcs1Sha512];
    }

    public override IReadOnlyList<SignatureScheme> Schemes { get; }

    /// <summary>TLS 1.2 also allows PKCS#1 v1.5 for ServerKeyExchange and CertificateVerify; PSS stays preferred.</summary>
    public override IReadOnlyList<SignatureScheme> Tls12Schemes { get; }

    public override SuiteAuthentication Authentication => SuiteAuthentication.Rsa;

    public override byte[] Sign(SignatureScheme scheme, ReadOnlySpan<byte> data)
    {
        Require(scheme);
        var padding = SignatureSchemes.IsPss(scheme) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        return _key.SignData(data.ToArray(), SignatureSchemes.HashOf(scheme), padding);
    }

    /// <summary>Throws unless this key, not yet disposed, can sign under <paramref name="scheme"/>.</summary>
    internal void Require(SignatureScheme scheme)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        RequireScheme(Tls12Schemes, scheme);
    }

    /// <summary>
    /// The PKCS#1 RSAPrivateKey DER for a provider that signs with its own implementation (the caller clears it), or
    /// null when the platform will not export it (a key kept non-exportable); such a key then signs itself.
    /// </summary>
    internal byte[]? TryExportPkcs1()
    {
        try
        {
            return _key.ExportRSAPrivateKey();
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private bool _disposed;

    public override void Dispose()
    {
        _disposed = true;
        _key.Dispose();
        base.Dispose();
    }
}
