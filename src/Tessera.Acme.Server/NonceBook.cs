using System.Security.Cryptography;

namespace Tessera.Acme.Server;

/// <summary>
/// Replay nonces (RFC 8555 §6.5): 128 random bits each, every one redeemable once. At most <see cref="Capacity"/>
/// are outstanding; the oldest are forgotten first (a client holding one of those gets badNonce and retries, as §6.5
/// has it). They live in memory: a restart forgets them, which costs each client one badNonce retry.
/// </summary>
internal sealed class NonceBook
{
    public const int Capacity = 65536;
    private readonly HashSet<string> _outstanding = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Lock _lock = new();

    public string Issue()
    {
        var nonce = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        lock (_lock)
        {
            while (_order.Count >= Capacity) _outstanding.Remove(_order.Dequeue());
            _outstanding.Add(nonce);
            _order.Enqueue(nonce);
        }
        return nonce;
    }

    /// <summary>Redeems <paramref name="nonce"/>: true the first time for a nonce this server issued, false ever after.</summary>
    public bool Redeem(string? nonce)
    {
        if (nonce is null) return false;
        lock (_lock) return _outstanding.Remove(nonce);
    }
}
