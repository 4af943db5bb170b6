namespace Tessera.Handshake;

/// <summary>A server state in which application data records are 0-RTT early data (RFC 8446 §4.2.10).</summary>
internal interface IAcceptsEarlyData;
