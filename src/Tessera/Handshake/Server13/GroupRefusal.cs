using Tessera.Diagnostics;
using Tessera.Wire;

namespace Tessera.Handshake.Server13;

/// <summary>The server's refusal when no key exchange group is shared, in either version, with the reason a person needs.</summary>
internal static class GroupRefusal
{
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
