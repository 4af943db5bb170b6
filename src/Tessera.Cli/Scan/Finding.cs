namespace Tessera.Cli.Scan;

/// <summary>How much a finding matters, worst first.</summary>
internal enum Severity { Critical, High, Medium, Low, Info }

/// <summary>One thing an auditor would write down, in one sentence, with the rule it comes from.</summary>
internal sealed record Finding(Severity Severity, string Text, string? Rule = null);
