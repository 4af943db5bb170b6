namespace Tessera.Wire;

/// <summary>RFC 8446 §4.2.11 OfferedPsks, with the length of the binders list so the truncated
/// ClientHello used for binder computation can be found.</summary>
public sealed record OfferedPsks(IReadOnlyList<PskIdentity> Identities, IReadOnlyList<byte[]> Binders, int BindersLength);
