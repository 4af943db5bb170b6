using System.Security.Cryptography;

namespace Tessera.Crypto;

/// <summary>
/// A running hash over a handshake's messages (RFC 8446 §4.4.1), made by a <see cref="CryptoProvider"/>: messages are
/// appended as they pass, and the hash so far is read many times without ending the run (for each key, Finished and
/// CertificateVerify), or forked (PSK binders hash a truncated ClientHello on top of it).
/// </summary>
public abstract class TranscriptHash : IDisposable
{
    /// <summary>The hash function.</summary>
    public abstract HashAlgorithmName Algorithm { get; }

    /// <summary>The digest length in bytes.</summary>
    public int Length => Algorithm == HashAlgorithmName.SHA384 ? 48 : Algorithm == HashAlgorithmName.SHA512 ? 64 : 32;

    /// <summary>Adds bytes to the transcript.</summary>
    public abstract void Append(ReadOnlySpan<byte> data);

    /// <summary>Writes the hash of everything appended so far into <paramref name="output"/> (exactly <see cref="Length"/> bytes); the run goes on.</summary>
    public abstract void GetCurrentHash(Span<byte> output);

    /// <summary>An independent copy of the running state.</summary>
    public abstract TranscriptHash Clone();

    /// <summary>Releases the state.</summary>
    public abstract void Dispose();
}
