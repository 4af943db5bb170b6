using System.Security.Cryptography;
using Tessera.Crypto;
using Tessera.Wire;

namespace Tessera.Benchmarks;

/// <summary>
/// A crypto provider that passes every call to another one and, while <see cref="Recording"/>, keeps a replay of it:
/// the same primitive on the same inputs (copied), against the inner provider, with nothing of the protocol around it.
/// Run over one handshake pair, the replay is that pair's crypto floor — exactly the primitives it performed, in the
/// same counts and sizes (see <see cref="CryptoFloor"/>).
/// </summary>
public sealed class RecordingCryptoProvider(CryptoProvider inner) : CryptoProvider
{
    private readonly List<Action> _replay = [];
    private readonly List<string> _kinds = [];
    private readonly SortedDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public bool Recording { get; set; }

    public override string Name => inner.Name;

    /// <summary>Takes what was recorded since the last call: the replay actions, the kind of each, and the count of each kind.</summary>
    public (Action[] Replay, string[] Kinds, IReadOnlyDictionary<string, int> Counts) Take()
    {
        var taken = (_replay.ToArray(), _kinds.ToArray(), (IReadOnlyDictionary<string, int>)new SortedDictionary<string, int>(_counts, StringComparer.Ordinal));
        _replay.Clear();
        _kinds.Clear();
        _counts.Clear();
        return taken;
    }

    internal void Add(string kind, Action replay)
    {
        if (!Recording) return;
        _counts[kind] = _counts.GetValueOrDefault(kind) + 1;
        _replay.Add(replay);
        _kinds.Add(kind);
    }

    public override bool SupportsGroup(NamedGroup group) => inner.SupportsGroup(group);

    public override KeyExchange GenerateKeyExchange(NamedGroup group, RandomNumberGenerator? random)
    {
        var slot = new Slot<KeyExchange>();
        Add($"key exchange: generate {group}", () => slot.Value = inner.GenerateKeyExchange(group, null));
        return new RecordingKeyExchange(inner.GenerateKeyExchange(group, random), slot, this);
    }

    public override KeyShareAnswer AnswerKeyShare(NamedGroup group, ReadOnlySpan<byte> clientShare, RandomNumberGenerator? random)
    {
        var share = clientShare.ToArray();
        Add($"key exchange: answer {group}", () => inner.AnswerKeyShare(group, share, null));
        return inner.AnswerKeyShare(group, clientShare, random);
    }

    public override RecordAead CreateAead(AeadAlgorithm algorithm, ReadOnlySpan<byte> key)
    {
        var slot = new Slot<RecordAead>();
        var copy = key.ToArray();
        Add($"aead: create {algorithm}", () => slot.Value = inner.CreateAead(algorithm, copy));
        return new RecordingAead(inner.CreateAead(algorithm, key), slot, this);
    }

    public override void HkdfExtract(HashAlgorithmName hash, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> ikm, Span<byte> prk)
    {
        var (s, i, o) = (salt.ToArray(), ikm.ToArray(), new byte[prk.Length]);
        Add($"hkdf: extract {hash.Name}", () => inner.HkdfExtract(hash, s, i, o));
        inner.HkdfExtract(hash, salt, ikm, prk);
    }

    public override void HkdfExpand(HashAlgorithmName hash, ReadOnlySpan<byte> prk, ReadOnlySpan<byte> info, Span<byte> output)
    {
        var (p, i, o) = (prk.ToArray(), info.ToArray(), new byte[output.Length]);
        Add($"hkdf: expand {hash.Name}", () => inner.HkdfExpand(hash, p, i, o));
        inner.HkdfExpand(hash, prk, info, output);
    }

    public override void Hmac(HashAlgorithmName hash, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> output)
    {
        var (k, d, o) = (key.ToArray(), data.ToArray(), new byte[output.Length]);
        Add($"hmac: {hash.Name}", () => inner.Hmac(hash, k, d, o));
        inner.Hmac(hash, key, data, output);
    }

    public override void Hash(HashAlgorithmName hash, ReadOnlySpan<byte> data, Span<byte> output)
    {
        var (d, o) = (data.ToArray(), new byte[output.Length]);
        Add($"hash: {hash.Name}", () => inner.Hash(hash, d, o));
        inner.Hash(hash, data, output);
    }

    public override byte[] Sign(TlsSigningKey key, SignatureScheme scheme, ReadOnlySpan<byte> data)
    {
        var d = data.ToArray();
        Add($"sign: {scheme}", () => inner.Sign(key, scheme, d));
        return inner.Sign(key, scheme, data);
    }

    internal override bool VerifyEcdsa(VerificationKey key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, HashAlgorithmName hash)
    {
        var (d, s) = (data.ToArray(), signature.ToArray());
        Add($"verify: ecdsa {hash.Name}", () => inner.VerifyEcdsa(key, d, s, hash));
        return inner.VerifyEcdsa(key, data, signature, hash);
    }

    internal override bool VerifyRsa(VerificationKey key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, SignatureScheme scheme)
    {
        var (d, s) = (data.ToArray(), signature.ToArray());
        Add($"verify: {scheme}", () => inner.VerifyRsa(key, d, s, scheme));
        return inner.VerifyRsa(key, data, signature, scheme);
    }

    internal override bool VerifyEd25519(VerificationKey key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        var (d, s) = (data.ToArray(), signature.ToArray());
        Add("verify: ed25519", () => inner.VerifyEd25519(key, d, s));
        return inner.VerifyEd25519(key, data, signature);
    }

    public override TranscriptHash CreateTranscriptHash(HashAlgorithmName hash)
    {
        var slot = new Slot<TranscriptHash>();
        Add($"transcript: create {hash.Name}", () => slot.Value = inner.CreateTranscriptHash(hash));
        return new RecordingTranscriptHash(inner.CreateTranscriptHash(hash), slot, this);
    }

    /// <summary>Where a replayed object lives between the replayed calls that use it.</summary>
    internal sealed class Slot<T> where T : class
    {
        public T? Value;
        public T Get() => Value ?? throw new InvalidOperationException("replayed out of order");
    }

    private sealed class RecordingKeyExchange(KeyExchange inner, Slot<KeyExchange> slot, RecordingCryptoProvider owner) : KeyExchange
    {
        public override NamedGroup Group => inner.Group;
        public override byte[] PublicKey => inner.PublicKey;

        public override byte[] DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey)
        {
            var peer = peerPublicKey.ToArray();
            owner.Add($"key exchange: derive {inner.Group}", () => slot.Get().DeriveSharedSecret(peer));
            return inner.DeriveSharedSecret(peerPublicKey);
        }

        public override void Dispose()
        {
            owner.Add("dispose", () => slot.Get().Dispose());
            inner.Dispose();
        }
    }

    private sealed class RecordingAead(RecordAead inner, Slot<RecordAead> slot, RecordingCryptoProvider owner) : RecordAead
    {
        public override AeadAlgorithm Algorithm => inner.Algorithm;

        public override void Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> aad)
        {
            var (n, p, c, t, a) = (nonce.ToArray(), plaintext.ToArray(), new byte[ciphertext.Length], new byte[tag.Length], aad.ToArray());
            owner.Add($"aead: seal {inner.Algorithm}", () => slot.Get().Seal(n, p, c, t, a));
            inner.Seal(nonce, plaintext, ciphertext, tag, aad);
        }

        public override bool Open(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> aad)
        {
            var (n, c, t, p, a) = (nonce.ToArray(), ciphertext.ToArray(), tag.ToArray(), new byte[plaintext.Length], aad.ToArray());
            owner.Add($"aead: open {inner.Algorithm}", () => slot.Get().Open(n, c, t, p, a));
            return inner.Open(nonce, ciphertext, tag, plaintext, aad);
        }

        public override void Dispose()
        {
            owner.Add("dispose", () => slot.Get().Dispose());
            inner.Dispose();
        }
    }

    private sealed class RecordingTranscriptHash(TranscriptHash inner, Slot<TranscriptHash> slot, RecordingCryptoProvider owner) : TranscriptHash
    {
        public override HashAlgorithmName Algorithm => inner.Algorithm;

        public override void Append(ReadOnlySpan<byte> data)
        {
            var d = data.ToArray();
            owner.Add($"transcript: append {inner.Algorithm.Name}", () => slot.Get().Append(d));
            inner.Append(data);
        }

        public override void GetCurrentHash(Span<byte> output)
        {
            var o = new byte[output.Length];
            owner.Add($"transcript: read {inner.Algorithm.Name}", () => slot.Get().GetCurrentHash(o));
            inner.GetCurrentHash(output);
        }

        public override TranscriptHash Clone()
        {
            var copy = new Slot<TranscriptHash>();
            owner.Add($"transcript: clone {inner.Algorithm.Name}", () => copy.Value = slot.Get().Clone());
            return new RecordingTranscriptHash(inner.Clone(), copy, owner);
        }

        public override void Dispose()
        {
            owner.Add("dispose", () => slot.Get().Dispose());
            inner.Dispose();
        }
    }
}
