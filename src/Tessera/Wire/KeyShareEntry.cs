namespace Tessera.Wire;

/// <summary>RFC 8446 §4.2.8 KeyShareEntry.</summary>
public sealed record KeyShareEntry(NamedGroup Group, byte[] KeyExchange);
