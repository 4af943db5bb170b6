namespace Tessera.Diagnostics;

public enum TraceDirection
{
    Sent,
    Received,
}
