namespace Tessera.Scan.Monitor;

/// <summary>What the monitor knows of one target now: its latest probe and scan, and how its probes have gone.</summary>
/// <param name="Target">The target.</param>
/// <param name="Latest">The latest probe; null before the first.</param>
/// <param name="Grade">The latest scan's grade; null before the first, or when the target is not scanned.</param>
/// <param name="Probes">Probes run since the target was added.</param>
/// <param name="Failures">Probes among them that failed.</param>
/// <param name="NextProbe">When the next probe is due.</param>
/// <param name="Renewal">The issuing CA's suggested renewal window for the served certificate (RFC 9773); null without <see cref="MonitorTarget.AcmeDirectory"/>, before the first answer, or when the CA offers none.</param>
public sealed record TargetStatus(MonitorTarget Target, ProbeResult? Latest, GradeResult? Grade, long Probes, long Failures, DateTimeOffset NextProbe, Acme.RenewalWindow? Renewal = null);
