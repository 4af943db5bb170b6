namespace Tessera.Connection;

/// <summary>What a server knows when it decides whether to accept a client's 0-RTT data.</summary>
public sealed record EarlyDataRequest(string? ServerName, string? ApplicationProtocol, TimeSpan TicketAge);
