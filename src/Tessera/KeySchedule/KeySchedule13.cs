using System.Security.Cryptography;
using Tessera.Crypto;

namespace Tessera.KeySchedule;

/// <summary>
/// The TLS 1.3 secret ladder (RFC 8446 §7.1): early → handshake → master, each stage's traffic secrets,
/// Finished, exporter and resumption secrets. Stage secrets are zeroed as soon as the next stage exists.
/// </summary>
internal sealed class KeySchedule13 : IDisposable
{
    private readonly HashAlgorithmName _hash;
    private readonly int _hashLength;
    private readonly CryptoProvider _crypto;
    private readonly byte[] _current;   // early secret, then handshake secret, then master secret (one array, overwritten)

    public KeySchedule13(CipherSuiteInfo suite, ReadOnlySpan<byte> psk = default, CryptoProvider? provider = null)
    {
        _crypto = provider ?? CryptoProvider.Default;
        _hash = suite.Hash;
        _hashLength = suite.HashLength;
        // RFC 8446 §7.1: salt 0 and, without a PSK, an IKM of Hash.length zeros.
        Span<byte> zeros = stackalloc byte[_hashLength];
        zeros.Clear();
        _current = new byte[_hashLength];
        _crypto.HkdfExtract(_hash, zeros, psk.IsEmpty ? zeros : psk, _current);
        Stage = "early";
    }

    public string Stage { get; private set; }
    public HashAlgorithmName Hash => _hash;
    public int HashLength => _hashLength;

    /// <summary>binder_key: "res binder" for resumption PSKs, "ext binder" for external ones, into <paramref name="into"/> (Hash.length bytes).</summary>
    public void BinderKey(bool external, Span<byte> into) => Expand(external ? "ext binder" : "res binder", Hkdf13.EmptyHashOf(_hash), into, "early");

    public byte[] ClientEarlyTrafficSecret(ReadOnlySpan<byte> clientHelloHash) => Derive("c e traffic", clientHelloHash);

    public void ClientEarlyTrafficSecret(ReadOnlySpan<byte> clientHelloHash, Span<byte> into) => Expand("c e traffic", clientHelloHash, into, "early");
    public byte[] EarlyExporterMasterSecret(ReadOnlySpan<byte> clientHelloHash) => Derive("e exp master", clientHelloHash);

    /// <summary>Moves from the early secret to the handshake secret with the (EC)DHE shared secret.</summary>
    public void AdvanceToHandshake(ReadOnlySpan<byte> sharedSecret)
    {
        if (Stage != "early") throw new InvalidOperationException("handshake secret derived twice");
        Advance(sharedSecret);
        Stage = "handshake";
    }

    /// <summary>Both handshake traffic secrets into the caller's block (Hash.length bytes each).</summary>
    public void HandshakeTrafficSecrets(ReadOnlySpan<byte> helloHash, Span<byte> client, Span<byte> server)
    {
        Expand("c hs traffic", helloHash, client, "handshake");
        Expand("s hs traffic", helloHash, server, "handshake");
    }

    /// <summary>Moves from the handshake secret to the master secret (IKM of zeros).</summary>
    public void AdvanceToMaster()
    {
        if (Stage != "handshake") throw new InvalidOperationException("master secret derived out of order");
        Span<byte> zeros = stackalloc byte[_hashLength];
        zeros.Clear();
        Advance(zeros);
        Stage = "master";
    }

    /// <summary>The application traffic and exporter master secrets (after the server's Finished), into the block the connection keeps.</summary>
    public void ApplicationSecrets(ReadOnlySpan<byte> serverFinishedHash, ApplicationSecrets13 into)
    {
        Derive("c ap traffic", serverFinishedHash, into.Client);
        Derive("s ap traffic", serverFinishedHash, into.Server);
        Derive("exp master", serverFinishedHash, into.Exporter);
    }

    public void ResumptionMasterSecret(ReadOnlySpan<byte> clientFinishedHash, Span<byte> into) => Derive("res master", clientFinishedHash, into);

    private byte[] Derive(string label, ReadOnlySpan<byte> transcriptHash) => Hkdf13.DeriveSecret(_hash, _current, label, transcriptHash, _crypto);

    private void Derive(string label, ReadOnlySpan<byte> transcriptHash, Span<byte> into) => Expand(label, transcriptHash, into, "master");

    private void Expand(string label, ReadOnlySpan<byte> transcriptHash, Span<byte> into, string stage)
    {
        if (Stage != stage) throw new InvalidOperationException($"{label} derived from the {Stage} secret, not the {stage} one");
        Hkdf13.ExpandLabel(_hash, _current, label, transcriptHash, into[.._hashLength], _crypto);
    }

    private void Advance(ReadOnlySpan<byte> ikm)
    {
        // Secret = HKDF-Extract(Derive-Secret(previous, "derived", ""), ikm); the intermediate lives on the stack.
        Span<byte> derived = stackalloc byte[_hashLength];
        Hkdf13.ExpandLabel(_hash, _current, "derived", Hkdf13.EmptyHashOf(_hash), derived, _crypto);
        _crypto.HkdfExtract(_hash, derived, ikm, _current);
        CryptographicOperations.ZeroMemory(derived);
    }

    /// <summary>The current stage secret, for vector tests only.</summary>
    internal ReadOnlySpan<byte> CurrentSecretForTests => _current;

    public void Dispose() => CryptographicOperations.ZeroMemory(_current);

    // ---- stateless helpers on traffic secrets ----

    /// <summary>finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length); verify_data = HMAC(finished_key, transcript).</summary>
    public static byte[] ComputeFinished(HashAlgorithmName hash, ReadOnlySpan<byte> baseKey, ReadOnlySpan<byte> transcriptHash, CryptoProvider? provider = null)
    {
        var verifyData = new byte[Hkdf13.HashLength(hash)];
        ComputeFinished(hash, baseKey, transcriptHash, verifyData, provider);
        return verifyData;
    }

    /// <summary><see cref="ComputeFinished(HashAlgorithmName, ReadOnlySpan{byte}, ReadOnlySpan{byte}, CryptoProvider?)"/> into <paramref name="verifyData"/> (Hash.length bytes).</summary>
    public static void ComputeFinished(HashAlgorithmName hash, ReadOnlySpan<byte> baseKey, ReadOnlySpan<byte> transcriptHash, Span<byte> verifyData, CryptoProvider? provider = null)
    {
        var crypto = provider ?? CryptoProvider.Default;
        Span<byte> finishedKey = stackalloc byte[Hkdf13.HashLength(hash)];
        Hkdf13.ExpandLabel(hash, baseKey, "finished", [], finishedKey, crypto);
        crypto.Hmac(hash, finishedKey, transcriptHash, verifyData);
        CryptographicOperations.ZeroMemory(finishedKey);
    }

    /// <summary>RFC 8446 §7.2: application_traffic_secret_N+1, in place of generation N (which is gone afterwards).</summary>
    public static void NextTrafficSecret(HashAlgorithmName hash, Span<byte> secret, CryptoProvider? provider = null)
    {
        Span<byte> next = stackalloc byte[secret.Length];
        Hkdf13.ExpandLabel(hash, secret, "traffic upd", [], next, provider);
        next.CopyTo(secret);
        CryptographicOperations.ZeroMemory(next);
    }

    /// <summary>RFC 8446 §7.3: write key and IV from a traffic secret.</summary>
    public static (byte[] Key, byte[] Iv) TrafficKeys(CipherSuiteInfo suite, ReadOnlySpan<byte> secret, CryptoProvider? provider = null) =>
        (Hkdf13.ExpandLabel(suite.Hash, secret, "key", [], suite.KeyLength, provider),
         Hkdf13.ExpandLabel(suite.Hash, secret, "iv", [], suite.IvLength, provider));

    /// <summary>RFC 8446 §7.5 TLS-Exporter(label, context, length).</summary>
    public static byte[] Export(HashAlgorithmName hash, ReadOnlySpan<byte> exporterMasterSecret, string label, ReadOnlySpan<byte> context, int length, CryptoProvider? provider = null)
    {
        Span<byte> secret = stackalloc byte[Hkdf13.HashLength(hash)];
        Hkdf13.ExpandLabel(hash, exporterMasterSecret, label, Hkdf13.EmptyHashOf(hash), secret, provider);
        try
        {
            return Hkdf13.ExpandLabel(hash, secret, "exporter", Hkdf13.Hash(hash, context), length, provider);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>RFC 8446 §4.6.1: the PSK a ticket stands for.</summary>
    public static byte[] ResumptionPsk(HashAlgorithmName hash, ReadOnlySpan<byte> resumptionMasterSecret, ReadOnlySpan<byte> nonce, CryptoProvider? provider = null) =>
        Hkdf13.ExpandLabel(hash, resumptionMasterSecret, "resumption", nonce, Hkdf13.HashLength(hash), provider);
}
