using Tessera.Wire;

namespace Tessera.Records;

/// <summary>
/// One direction's record protection under one key. TLS 1.3 and TLS 1.2 AEAD differ in nonce and
/// header handling; both are subclasses so the record layer stays the same.
/// </summary>
internal abstract class RecordProtection : IDisposable
{
    /// <summary>Records protected so far under this key.</summary>
    public ulong Sequence { get; protected set; }

    /// <summary>How many records this key may protect before it must be replaced (RFC 8446 §5.5).</summary>
    public abstract ulong RecordLimit { get; }

    /// <summary>Largest expansion of one record: header, content-type byte, explicit nonce, tag.</summary>
    public abstract int MaxOverhead { get; }

    /// <summary>Writes one whole protected record (header included) for <paramref name="plaintext"/> into <paramref name="destination"/>; returns its length.</summary>
    public abstract int Seal(ContentType type, ReadOnlySpan<byte> plaintext, Span<byte> destination);

    /// <summary>
    /// Opens a protected record in place. <paramref name="header"/> is the 5-byte record header (the AEAD's
    /// additional data). Returns the content type and where the plaintext lies in <paramref name="payload"/>,
    /// or throws bad_record_mac.
    /// </summary>
    public abstract (ContentType Type, int Offset, int Length) Open(ReadOnlySpan<byte> header, Span<byte> payload);

    /// <summary>True when every record type is protected and the header shows the real type (TLS 1.2); false when the type is hidden inside (TLS 1.3).</summary>
    public abstract bool ProtectsEveryType { get; }

    /// <summary>Largest ciphertext expansion a peer may use (RFC 8446 §5.2: 256; RFC 5246 §6.2.3: 2048).</summary>
    public abstract int MaxCiphertextExpansion { get; }

    public abstract void Dispose();
}
