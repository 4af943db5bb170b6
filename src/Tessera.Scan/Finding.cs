namespace Tessera.Scan;

/// <summary>How much a finding matters, worst first.</summary>
public enum Severity
{
    /// <summary>The connection's secrecy or authenticity is broken (no encryption, anonymous suites, export strength).</summary>
    Critical,
    /// <summary>A known attack applies, or clients will refuse the certificate.</summary>
    High,
    /// <summary>Weaker than it should be: deprecated versions, suites without forward secrecy.</summary>
    Medium,
    /// <summary>Worth changing when convenient.</summary>
    Low,
    /// <summary>Not a weakness: a fact an auditor writes down.</summary>
    Info,
}

/// <summary>One thing an auditor would write down, in one sentence, with the rule it comes from.</summary>
/// <param name="Severity">How much it matters.</param>
/// <param name="Text">The sentence.</param>
/// <param name="Rule">The rule it comes from (an RFC section, a Baseline Requirements clause), when there is one.</param>
/// <param name="Id">
/// A stable identifier (<c>certificate-expiring</c>, <c>cbc-tls12</c>, a cap's own id …): the text may be reworded,
/// the identifier stays, so a pipeline can allow-list a finding it has accepted (docs/scan.md lists them).
/// </param>
public sealed record Finding(Severity Severity, string Text, string? Rule, string Id);
