#pragma warning disable CS1591 // members not yet documented one by one (the type's summary and the RFC's names carry them); new public API is
// documented in full, which the build enforces everywhere else.
using System.Buffers;
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
    private System.Buffers.ArrayBufferWriter<byte>? _retained;

    public HashAlgorithmName? Algorithm { get; private set; }

    public void Add(HandshakeMessage message) => Add(message.Raw);

    public void Add(ReadOnlySpan<byte> raw)
    {
        if (_hash is null) _pending!.Add(raw.ToArray());
        else _hash.AppendData(raw);
        _retained?.Write(raw);
    }

    /// <summary>
    /// Also keeps the messages themselves, for a TLS 1.2 CertificateVerify whose signature hash may differ from the
    /// PRF hash (RFC 5246 §7.4.8 signs handshake_messages, not their PRF hash). Must be called before the hash is fixed.
    /// </summary>
    public void RetainMessages()
    {
        if (_retained is not null) return;
        if (_pending is null) throw new InvalidOperationException("messages must be retained from the start of the handshake");
        _retained = new System.Buffers.ArrayBufferWriter<byte>(2048);
        foreach (var p in _pending) _retained.Write(p);
    }

    /// <summary>The handshake messages so far, when <see cref="RetainMessages"/> was called.</summary>
    public ReadOnlySpan<byte> Messages => _retained is null ? throw new InvalidOperationException("messages were not retained") : _retained.WrittenSpan;

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
    /// The hash of the transcript so far followed by <paramref name="extra"/>, without adding it: PSK binders are
    /// computed over a ClientHello truncated before its binders (RFC 8446 §4.2.11.2).
    /// </summary>
    public byte[] HashWith(HashAlgorithmName algorithm, ReadOnlySpan<byte> extra)
    {
        if (_hash is null)
        {
            using var fresh = IncrementalHash.CreateHash(algorithm);
            foreach (var p in _pending!) fresh.AppendData(p);
            fresh.AppendData(extra);
            return fresh.GetHashAndReset();
        }
        if (Algorithm != algorithm) throw TlsException.Illegal("the PSK's hash differs from the handshake's");
        using var copy = _hash.Clone();
        copy.AppendData(extra);
        return copy.GetHashAndReset();
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

    public void Dispose()
    {
        _hash?.Dispose();
        _retained?.Clear();
    }
}
