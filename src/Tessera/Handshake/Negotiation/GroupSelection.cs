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
    public static (NamedGroup Group, bool HasShare) ChooseTls13(ClientHelloOffer offer, TlsServerOptions options, NamedGroup? retryGroup)
    {
        var groups = offer.Groups;
        var shares = offer.KeyShares;
        if (retryGroup is { } retry)
        {
            if (!HasCommonGroup(groups, options)) throw NoCommonGroup(groups, options.Groups);
            return (retry, shares.Find(retry, out _));
        }
        // Our preference order: the first common group the client sent a share for; else the first common group, by
        // HelloRetryRequest (at once when HelloRetryForPreferredGroup asks for our first choice regardless).
        NamedGroup? first = null;
        foreach (var g in options.Groups.Each())
        {
            if (!groups.Contains((ushort)g)) continue;
            first ??= g;
            var hasShare = shares.Find(g, out _);
            if (options.HelloRetryForPreferredGroup || hasShare) return (g, hasShare);
        }
        return first is { } chosen ? (chosen, false) : throw NoCommonGroup(groups, options.Groups);
    }

    /// <summary>TLS 1.2: the server's first group the client lists that works in TLS 1.2 (RFC 8422 §4: no list means any curve; P-256 is the safe guess).</summary>
    public static NamedGroup ChooseTls12(ClientHelloOffer offer, TlsServerOptions options)
    {
        if (!offer.HasGroups)
        {
            if (options.Groups.Contains(NamedGroup.Secp256r1)) return NamedGroup.Secp256r1;
            foreach (var g in options.Groups.Each())
                if (KeyExchange.IsUsableInTls12(g)) return g;
            throw new TlsException(AlertDescription.HandshakeFailure, "none of the server's groups works in TLS 1.2");
        }
        foreach (var g in options.Groups.Each())
            if (offer.Groups.Contains((ushort)g) && KeyExchange.IsUsableInTls12(g)) return g;
        throw NoCommonGroup(offer.Groups, options.Groups);
    }

    private static bool HasCommonGroup(CodePointList groups, TlsServerOptions options)
    {
        foreach (var g in options.Groups.Each())
            if (groups.Contains((ushort)g)) return true;
        return false;
    }

    private static TlsException NoCommonGroup(CodePointList offered, IReadOnlyList<NamedGroup> accepted) =>
        NoCommonGroup(offered.ToList(g => (NamedGroup)g), accepted);

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
