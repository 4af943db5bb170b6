using System.Security.Cryptography;
using Tessera.Wire;

namespace Tessera.KeySchedule;

/// <summary>
/// The running transcript hash (RFC 8446 §4.4.1). Messages that arrive before the suite (and so the hash)
/// is known are buffered, then fed once the hash is chosen. One hash context per handshake.
/// </summary>
public sealed class Transcript : IDisposable
{
    private List<byte[]>? _pending = [];
    private IncrementalHash? _hash;

    public HashAlgorithmName? Algorithm { get; private set; }

    public void Add(HandshakeMessage message) => Add(message.Raw);

    public void Add(ReadOnlySpan<byte> raw)
    {
        if (_hash is null) _pending!.Add(raw.ToArray());
        else _hash.AppendData(raw);
    }

    /// <summary>Fixes the hash once the cipher suite is known and feeds what was buffered.</summary>
    public void SetAlgorithm(HashAlgorithmName algorithm)
    {
        if (_hash is not null)
        {
            if (Algorithm != algorithm) throw TlsException.Illegal("the cipher suite's hash changed during the handshake");
            return;
        }
        Algorithm = algorithm;
        _hash = IncrementalHash.CreateHash(algorithm);
        foreach (var p in _pending!) _hash.AppendData(p);
        _pending = null;
    }

    public byte[] CurrentHash()
    {
        if (_hash is null) throw new InvalidOperationException("transcript hash requested before the suite was chosen");
        return _hash.GetCurrentHash();
    }

    /// <summary>
    /// RFC 8446 §4.4.1: after a HelloRetryRequest, ClientHello1 is replaced by
    /// message_hash(254) || 00 00 Hash.length || Hash(ClientHello1).
    /// </summary>
    public void ReplaceWithMessageHash()
    {
        var h = CurrentHash();
        _hash!.Dispose();
        _hash = IncrementalHash.CreateHash(Algorithm!.Value);
        _hash.AppendData([(byte)HandshakeType.MessageHash, 0, 0, (byte)h.Length]);
        _hash.AppendData(h);
    }

    public void Dispose() => _hash?.Dispose();
}
