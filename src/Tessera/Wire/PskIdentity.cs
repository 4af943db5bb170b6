namespace Tessera.Wire;

/// <summary>RFC 8446 §4.2.11 PskIdentity.</summary>
public sealed record PskIdentity(byte[] Identity, uint ObfuscatedTicketAge);
