using System.Collections;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Wire;

namespace Tessera.Certificates;

/// <summary>
/// The certificates a peer sent, kept as DER and turned into <see cref="X509Certificate2"/> only when somebody asks.
/// Loading an X509Certificate2 through OpenSSL costs ≈ 120 µs each — more than the rest of a resumed handshake — and
/// Tessera's own verifier and signature checks work from the DER, so a handshake that nobody inspects loads none.
/// </summary>
internal sealed class PeerCertificateChain : IReadOnlyList<X509Certificate2>
{
    private readonly IReadOnlyList<byte[]> _der;
    private readonly X509Certificate2?[] _loaded;
    private readonly ParsedCertificate?[] _parsed;

    public PeerCertificateChain(IReadOnlyList<byte[]> der)
    {
        _der = der;
        _loaded = new X509Certificate2?[der.Count];
        _parsed = new ParsedCertificate?[der.Count];
    }

    /// <summary>A chain whose certificates were (partly) found parsed already; <paramref name="parsed"/> is kept, its null slots parsed on demand.</summary>
    internal PeerCertificateChain(byte[][] der, ParsedCertificate?[] parsed)
    {
        if (parsed.Length != der.Length) throw new ArgumentException("one parse slot per certificate", nameof(parsed));
        _der = der;
        _loaded = new X509Certificate2?[der.Length];
        _parsed = parsed;
    }

    internal static PeerCertificateChain From(CertificateMessage message)
    {
        var der = new byte[message.Entries.Count][];
        for (var i = 0; i < der.Length; i++) der[i] = message.Entries[i].CertData;
        return new PeerCertificateChain(der);
    }

    public int Count => _der.Count;

    /// <summary>The certificate at <paramref name="index"/>; one that OpenSSL cannot load is bad_certificate.</summary>
    public X509Certificate2 this[int index]
    {
        get
        {
            if (_loaded[index] is { } loaded) return loaded;
            try
            {
                var certificate = X509CertificateLoader.LoadCertificate(_der[index]);
                return Interlocked.CompareExchange(ref _loaded[index], certificate, null) ?? certificate;
            }
            catch (CryptographicException e)
            {
                throw new TlsException(AlertDescription.BadCertificate, $"certificate {index} in the peer's chain is not valid DER X.509: {e.Message}", false, e);
            }
        }
    }

    /// <summary>The DER bytes as sent, without loading anything.</summary>
    public ReadOnlyMemory<byte> GetRawData(int index) => _der[index];

    /// <summary>The strict parse Tessera's verifier uses; made once per certificate and shared with the signature checks.</summary>
    internal ParsedCertificate GetParsed(int index)
    {
        if (_parsed[index] is { } parsed) return parsed;
        try
        {
            parsed = ParsedCertificateCache.Get(_der[index]);
        }
        catch (TlsException e)
        {
            throw new TlsException(AlertDescription.BadCertificate, $"certificate {index} in the peer's chain is malformed: {e.Message}", false, e);
        }
        return Interlocked.CompareExchange(ref _parsed[index], parsed, null) ?? parsed;
    }

    /// <summary>Every certificate's strict parse, in order (the chain's own slots, filled; no list is built).</summary>
    internal IReadOnlyList<ParsedCertificate> ParseAll()
    {
        for (var i = 0; i < _parsed.Length; i++) GetParsed(i);
        return _parsed!;
    }

    /// <summary>
    /// The end-entity's SubjectPublicKeyInfo and a name for messages. Taken from the strict parse when the certificate
    /// passes it, else from OpenSSL's reading (a custom verifier may have accepted a certificate Tessera's parser would not).
    /// </summary>
    internal PeerKey LeafKey()
    {
        ParsedCertificate? parsed = null;
        try
        {
            parsed = GetParsed(0);
        }
        catch (TlsException)
        {
            // Not strict DER: fall back to OpenSSL's reading below. The verifier already judged the chain.
        }
        if (parsed is not null) return new(parsed.SubjectPublicKeyInfo, parsed.PublicKeyAlgorithm, parsed.Subject.Name);
        var leaf = this[0];
        return new(leaf.PublicKey.ExportSubjectPublicKeyInfo(), leaf.PublicKey.Oid.Value ?? "", leaf.Subject);
    }

    /// <summary>A public key and the certificate it came from, for signature checks and their messages.</summary>
    internal readonly record struct PeerKey(ReadOnlyMemory<byte> SubjectPublicKeyInfo, string Algorithm, string Owner);

    /// <summary>The DER of every certificate in <paramref name="chain"/>, without loading any that are not loaded yet.</summary>
    internal static List<byte[]> RawDataOf(IReadOnlyList<X509Certificate2> chain)
    {
        var list = new List<byte[]>(chain.Count);
        if (chain is PeerCertificateChain peer) list.AddRange(peer._der);
        else foreach (var c in chain) list.Add(c.RawData);
        return list;
    }

    public IEnumerator<X509Certificate2> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
