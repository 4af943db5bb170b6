using Tessera.Connection;
using Tessera.Crypto;
using Tessera.Diagnostics;
using Tessera.Handshake.Server13;
using Tessera.Wire;

namespace Tessera.Handshake.Negotiation;

/// <summary>
/// The server's key exchange group, TLS 1.3 and TLS 1.2: the server's order of preference among the groups the client
/// lists; in TLS 1.3 the first such group the client sent a share for, else a HelloRetryRequest for the first common
/// one. A refusal names what was offered and why nothing fits.
/// </summary>
internal static class GroupSelection
{
    /// <summary>
    /// TLS 1.3: the group and the client's share for it, or a null share when a HelloRetryRequest must ask for it. After
    /// a HelloRetryRequest (<paramref name="retryGroup"/>) the group is fixed and the share must be for it.
    /// </summary>
    public static (NamedGroup Group, KeyShareEntry? Share) ChooseTls13(ClientHelloOffer offer, TlsServerOptions options, NamedGroup? retryGroup)
    {
        var groups = offer.Groups!;
        var shares = offer.KeyShares!;
        if (retryGroup is { } retry)
        {
            if (!HasCommonGroup(groups, options)) throw NoCommonGroup(groups, options.Groups);
            return (retry, ShareFor(shares, retry));
        }
        // Our preference order: the first common group the client sent a share for; else the first common group, by
        // HelloRetryRequest (at once when HelloRetryForPreferredGroup asks for our first choice regardless).
        NamedGroup? first = null;
        foreach (var g in options.Groups.Each())
        {
            if (!groups.Contains(g)) continue;
            first ??= g;
            if (options.HelloRetryForPreferredGroup) return (g, ShareFor(shares, g));
            if (ShareFor(shares, g) is { } share) return (g, share);
        }
        return first is { } chosen ? (chosen, null) : throw NoCommonGroup(groups, options.Groups);
    }

    /// <summary>TLS 1.2: the server's first group the client lists that works in TLS 1.2 (RFC 8422 §4: no list means any curve; P-256 is the safe guess).</summary>
    public static NamedGroup ChooseTls12(ClientHelloOffer offer, TlsServerOptions options)
    {
        if (offer.Groups is null)
        {
            if (options.Groups.Contains(NamedGroup.Secp256r1)) return NamedGroup.Secp256r1;
            foreach (var g in options.Groups.Each())
                if (KeyExchange.IsUsableInTls12(g)) return g;
            throw new TlsException(AlertDescription.HandshakeFailure, "none of the server's groups works in TLS 1.2");
        }
        foreach (var g in options.Groups.Each())
            if (offer.Groups.Contains(g) && KeyExchange.IsUsableInTls12(g)) return g;
        throw NoCommonGroup(offer.Groups, options.Groups);
    }

    private static bool HasCommonGroup(List<NamedGroup> groups, TlsServerOptions options)
    {
        foreach (var g in options.Groups.Each())
            if (groups.Contains(g)) return true;
        return false;
    }

    private static KeyShareEntry? ShareFor(List<KeyShareEntry> shares, NamedGroup group)
    {
        foreach (var share in shares)
            if (share.Group == group) return share;
        return null;
    }

    public static TlsException NoCommonGroup(IReadOnlyList<NamedGroup> offered, IReadOnlyList<NamedGroup> accepted)
    {
        var real = 0;
        var finiteField = 0;
        foreach (var g in offered)
        {
            if (ExtensionNames.IsGrease((ushort)g)) continue;
            real++;
            if (TlsNames.IsFiniteField(g)) finiteField++;
        }
        var ours = PeerText.List(accepted, TlsNames.Of);
        // RFC 7919 groups are deliberately not implemented: ECDHE is faster and every TLS 1.3 peer has it.
        if (real > 0 && finiteField == real)
            return TlsException.HandshakeFailure(
                $"the client offered only finite-field Diffie-Hellman groups ({PeerText.List(offered, TlsNames.Of)}), which Tessera does not support; it accepts the elliptic-curve groups {ours}");
        return TlsException.HandshakeFailure($"no key exchange group in common: the client offered {PeerText.List(offered, TlsNames.Of)}; Tessera accepts {ours}");
    }
}
