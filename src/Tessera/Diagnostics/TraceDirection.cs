namespace Tessera.Diagnostics;

/// <summary>Which way a traced message went, seen from this side of the connection.</summary>
public enum TraceDirection
{
    /// <summary>This side sent it.</summary>
    Sent,
    /// <summary>The peer sent it.</summary>
    Received,
}
