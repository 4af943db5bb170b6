using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Crypto;
using Tessera.Wire;

namespace Tessera.Certificates;

/// <summary>A certificate chain and the key that signs for its end-entity: a server's identity or a client's.</summary>
public sealed class TlsCredential : IDisposable
{
    /// <summary>A chain (end-entity first, then intermediates, no root needed) and the key that signs for it.</summary>
    /// <param name="chain">The certificates sent to the peer, in order.</param>
    /// <param name="key">The end-entity's private key (it may sign remotely; it is not tested here).</param>
    /// <param name="ocspResponse">A DER OCSP response to staple for the end-entity, or null.</param>
    public TlsCredential(IReadOnlyList<X509Certificate2> chain, TlsSigningKey key, byte[]? ocspResponse = null)
    {
        if (chain.Count == 0) throw new ArgumentException("a credential needs at least the end-entity certificate", nameof(chain));
        Chain = chain;
        Key = key;
        OcspResponse = ocspResponse;
        (DnsNames, IpAddresses) = HostnameMatcher.Names(chain[0]);
        // X509Certificate2.RawData copies on every read; the chain is sent on every full handshake.
        var der = new byte[chain.Count][];
        for (var i = 0; i < der.Length; i++) der[i] = chain[i].RawData;
        ChainDer = der;
        using (var ec = chain[0].GetECDsaPublicKey())
            LeafCurve = ec is null ? null : KeyDescription.GroupOf(KeyDescription.CurveOf(ec)) ?? (NamedGroup)0;
    }

    /// <summary>
    /// A key that is not the leaf's would make every handshake fail at the peer with a bad signature; a certificate
    /// renewal caught half-way (new key, old certificate) is exactly that. So a credential proves the pair at load: one
    /// signature with the key, checked against the leaf's public key. Done for PEM pairs (where a mismatch is a file
    /// mix-up); a key object handed to the constructor may be a remote signer, which is not asked to sign at load.
    /// </summary>
    private static void RequireKeyMatchesLeaf(X509Certificate2 leaf, TlsSigningKey key)
    {
        var version = key.Schemes.Count > 0 ? ProtocolVersion.Tls13 : ProtocolVersion.Tls12;
        var schemes = key.SchemesFor(version);
        if (schemes.Count == 0) throw new ArgumentException("the private key supports no signature scheme Tessera uses", nameof(key));
        ReadOnlySpan<byte> probe = "Tessera: does this key belong to this certificate?"u8;
        bool matches;
        try
        {
            matches = SignatureVerifier.Verify(schemes[0], leaf, probe, key.Sign(schemes[0], probe), version);
        }
        catch (TlsException e)
        {
            throw new ArgumentException($"the private key does not belong to the certificate {leaf.Subject}: {e.Message}", nameof(key), e);
        }
        if (!matches) throw new ArgumentException($"the private key does not belong to the certificate {leaf.Subject}", nameof(key));
    }

    /// <summary>The chain sent to the peer, end-entity first.</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; }
    /// <summary>The end-entity certificate.</summary>
    public X509Certificate2 Leaf => Chain[0];

    /// <summary>Whether the leaf's DNS or IP names cover <paramref name="serverName"/> (RFC 9525 rules), as SNI selection uses them.</summary>
    public bool MatchesServerName(string serverName) => HostnameMatcher.Matches(DnsNames, IpAddresses, serverName, out _);
    /// <summary>The key that signs CertificateVerify (TLS 1.3) or ServerKeyExchange (TLS 1.2).</summary>
    public TlsSigningKey Key { get; }

    /// <summary>A DER OCSP response to staple with the end-entity certificate, if any.</summary>
    public byte[]? OcspResponse { get; init; }

    internal IReadOnlyList<string> DnsNames { get; }

    /// <summary>
    /// Whether <paramref name="name"/> (a host name, or a wildcard "*.parent") is one of the end entity's DNS names, compared as
    /// DNS names compare (case-insensitively, wildcards as written): what SNI-based certificate choice asks of a credential.
    /// </summary>
    public bool HasDnsName(string name)
    {
        foreach (var dns in DnsNames)
            if (string.Equals(dns, name, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
    internal IReadOnlyList<System.Net.IPAddress> IpAddresses { get; }

    /// <summary>The group naming an ECDSA end-entity key's curve (0 for a curve TLS does not name), null for other keys; read once.</summary>
    internal NamedGroup? LeafCurve { get; }

    /// <summary>The DER of each certificate in <see cref="Chain"/>, read once.</summary>
    internal IReadOnlyList<byte[]> ChainDer { get; }

    /// <summary>
    /// The TLS 1.3 server Certificate message without a staple (empty context, no entry extensions): the same bytes for
    /// every handshake, so encoded once. Handshake messages are never modified after they are built.
    /// </summary>
    internal HandshakeMessage Certificate13 => _certificate13 ??= EncodeCertificate13();
    private HandshakeMessage? _certificate13;

    /// <summary>The TLS 1.2 Certificate message for this chain, encoded once.</summary>
    internal HandshakeMessage Certificate12 => _certificate12 ??= Wire.Certificate12.Encode(ChainDer);
    private HandshakeMessage? _certificate12;

    /// <summary>
    /// The TLS 1.3 server Certificate message with <see cref="OcspResponse"/> stapled to the end entity (RFC 8446
    /// §4.4.2.1); the staple is fixed for the credential's life, so it too is encoded once.
    /// </summary>
    internal HandshakeMessage StapledCertificate13 => _stapledCertificate13 ??= EncodeCertificate13(OcspResponse);
    private HandshakeMessage? _stapledCertificate13;

    /// <summary>
    /// The CompressedCertificate (RFC 8879) for the TLS 1.3 Certificate message with an empty context, stapled or not:
    /// compressed once per algorithm and variant, then the same bytes for every handshake. A race between two first
    /// handshakes compresses twice and keeps either result; both are the same bytes.
    /// </summary>
    internal HandshakeMessage CompressedCertificate13(CertificateCompressionAlgorithm algorithm, bool stapled)
    {
        var slot = ((ushort)algorithm - 1) * 2 + (stapled ? 1 : 0);
        if ((uint)slot >= (uint)_compressed.Length) throw new ArgumentOutOfRangeException(nameof(algorithm));
        return _compressed[slot] ??= Handshake.CertificateCompressor.Compress(algorithm, stapled ? StapledCertificate13 : Certificate13);
    }
    private readonly HandshakeMessage?[] _compressed = new HandshakeMessage?[4];   // zlib and Brotli × plain and stapled

    private HandshakeMessage EncodeCertificate13(byte[]? staple = null)
    {
        var entries = new List<CertificateEntry>(ChainDer.Count);
        for (var i = 0; i < ChainDer.Count; i++)
        {
            List<TlsExtension> extensions = i == 0 && staple is not null
                ? [new(ExtensionType.StatusRequest, TlsExtension.BodyOf(staple, static (w, s) => StatusRequestExtension.WriteCertificateEntry(w, s)))]
                : [];
            entries.Add(new CertificateEntry(ChainDer[i], extensions));
        }
        return new CertificateMessage { Entries = entries }.Encode();
    }

    /// <summary>The first scheme the key supports that the peer accepts, in the key's order of preference.</summary>
    public SignatureScheme? ChooseScheme(IReadOnlyList<SignatureScheme> peerAccepts) => ChooseScheme(peerAccepts, ProtocolVersion.Tls13);

    /// <summary>As <see cref="ChooseScheme(IReadOnlyList{SignatureScheme})"/>, for the given protocol version's rules.</summary>
    public SignatureScheme? ChooseScheme(IReadOnlyList<SignatureScheme> peerAccepts, ProtocolVersion version)
    {
        foreach (var s in Key.SchemesFor(version))
            foreach (var p in peerAccepts)
                if (s == p) return s;
        return null;
    }

    /// <summary>Loads a PEM chain file (end-entity first) and a PEM key file, and proves that the key is the certificate's.</summary>
    public static TlsCredential FromPemFiles(string certificatePath, string keyPath) =>
        FromPem(File.ReadAllText(certificatePath), File.ReadAllText(keyPath));

    /// <summary>Loads a PEM chain (end-entity first) and a PEM private key.</summary>
    /// <exception cref="CryptographicException">No certificate, or a certificate or key that does not load.</exception>
    /// <exception cref="ArgumentException">The key is not the certificate's.</exception>
    public static TlsCredential FromPem(string certificatePem, string keyPem)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(certificatePem);
        if (collection.Count == 0) throw new CryptographicException("no certificate found in PEM");
        var chain = new List<X509Certificate2>(collection.Count);
        foreach (var c in collection) chain.Add(c);
        var key = TlsSigningKey.FromPem(keyPem);
        RequireKeyMatchesLeaf(chain[0], key);
        return new TlsCredential(chain, key);
    }

    /// <summary>From a certificate that carries its private key (RSA or ECDSA), plus any intermediates.</summary>
    public static TlsCredential FromCertificate(X509Certificate2 certificate, params X509Certificate2[] intermediates)
    {
        TlsSigningKey key = certificate.GetECDsaPrivateKey() is { } ec
            ? TlsSigningKey.FromEcdsa(ec)
            : certificate.GetRSAPrivateKey() is { } rsa
                ? TlsSigningKey.FromRsa(rsa, certificate.PublicKey.Oid.Value == KeyOids.RsaSsaPss)
                : throw new ArgumentException("the certificate carries no RSA or ECDSA private key", nameof(certificate));
        return new TlsCredential([certificate, .. intermediates], key);
    }

    /// <summary>Disposes the key.</summary>
    public void Dispose() => Key.Dispose();
}
