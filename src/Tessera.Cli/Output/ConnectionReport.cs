namespace Tessera.Cli.Output;

/// <summary>One connection as the inspector reports it: the connection (trace, parameters, chain) and its timings.</summary>
internal sealed record ConnectionReport(TlsConnection Connection, TimeSpan TcpConnect, TimeSpan? ServerHello, TimeSpan HandshakeComplete, DateTimeOffset At, long Started);
