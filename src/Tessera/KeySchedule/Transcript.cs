using System.Buffers;
using System.Security.Cryptography;
using Tessera.Crypto;
using Tessera.Wire;

namespace Tessera.KeySchedule;

/// <summary>
/// The running transcript hash (RFC 8446 §4.4.1). Messages that arrive before the suite (and so the hash)
/// is known are buffered — in one pooled buffer, given back once they are fed — then fed once the hash is chosen.
/// One hash context per handshake.
/// </summary>
internal sealed class Transcript : IDisposable
{
    private readonly CryptoProvider _provider;
    private Records.ByteBuffer? _pending = new(1024);
    private TranscriptHash? _hash;

    /// <summary>A transcript hashed by the process default provider.</summary>
    public Transcript() : this(null)
    {
    }

    /// <summary>A transcript hashed by <paramref name="provider"/> (the connection's), or the process default when null.</summary>
    public Transcript(CryptoProvider? provider) => _provider = provider ?? CryptoProvider.Default;
    private System.Buffers.ArrayBufferWriter<byte>? _retained;

    public HashAlgorithmName? Algorithm { get; private set; }

    public void Add(HandshakeMessage message) => Add(message.Span);

    public void Add(ReadOnlySpan<byte> raw)
    {
        if (_hash is null) _pending!.Append(raw);
        else _hash.Append(raw);
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
        _retained.Write(_pending.Readable);
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
        _hash = _provider.CreateTranscriptHash(algorithm);
        _hash.Append(_pending!.Readable);
        _pending.Dispose();
        _pending = null;
    }

    /// <summary>The longest transcript hash a suite uses (SHA-384); callers size a stack buffer with it.</summary>
    public const int MaxHashLength = 48;

    /// <summary>The hash so far, written into <paramref name="destination"/> (at least <see cref="MaxHashLength"/> bytes); returns the written part.</summary>
    public ReadOnlySpan<byte> CurrentHash(Span<byte> destination)
    {
        if (_hash is null) throw new InvalidOperationException("transcript hash requested before the suite was chosen");
        var written = destination[.._hash.Length];
        _hash.GetCurrentHash(written);
        return written;
    }

    public byte[] CurrentHash()
    {
        if (_hash is null) throw new InvalidOperationException("transcript hash requested before the suite was chosen");
        var hash = new byte[_hash.Length];
        _hash.GetCurrentHash(hash);
        return hash;
    }

    /// <summary>
    /// The hash of the transcript so far followed by <paramref name="extra"/>, without adding it: PSK binders are
    /// computed over a ClientHello truncated before its binders (RFC 8446 §4.2.11.2).
    /// </summary>
    public ReadOnlySpan<byte> HashWith(HashAlgorithmName algorithm, ReadOnlySpan<byte> extra, Span<byte> destination)
    {
        using var fork = _hash is null ? _provider.CreateTranscriptHash(algorithm) : _hash.Clone();
        if (_hash is null)
        {
            fork.Append(_pending!.Readable);
        }
        else if (Algorithm != algorithm)
        {
            throw TlsException.Illegal("the PSK's hash differs from the handshake's");
        }
        fork.Append(extra);
        var hash = destination[..fork.Length];
        fork.GetCurrentHash(hash);
        return hash;
    }

    /// <summary>
    /// RFC 8446 §4.4.1: after a HelloRetryRequest, ClientHello1 is replaced by
    /// message_hash(254) || 00 00 Hash.length || Hash(ClientHello1).
    /// </summary>
    public void ReplaceWithMessageHash()
    {
        Span<byte> buffer = stackalloc byte[MaxHashLength];
        var h = CurrentHash(buffer);
        _hash!.Dispose();
        _hash = _provider.CreateTranscriptHash(Algorithm!.Value);
        _hash.Append([(byte)HandshakeType.MessageHash, 0, 0, (byte)h.Length]);
        _hash.Append(h);
    }

    public void Dispose()
    {
        _pending?.Dispose();
        _pending = null;
        _hash?.Dispose();
        _retained?.Clear();
    }
}
