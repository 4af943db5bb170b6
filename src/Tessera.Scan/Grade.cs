namespace Tessera.Scan;

/// <summary>Letter grades, worst first, so a cap is a minimum.</summary>
public enum Letter
{
    /// <summary>F: insecure.</summary>
    F,
    /// <summary>E.</summary>
    E,
    /// <summary>D.</summary>
    D,
    /// <summary>C.</summary>
    C,
    /// <summary>B.</summary>
    B,
    /// <summary>A-.</summary>
    AMinus,
    /// <summary>A.</summary>
    A,
    /// <summary>A+: an A with HSTS and nothing held against it.</summary>
    APlus,
}

/// <summary>A rule that capped the grade: the highest letter it allows and the sentence that says why.</summary>
/// <param name="Max">The highest letter the rule allows.</param>
/// <param name="Reason">Why, in one sentence.</param>
/// <param name="Rule">Where the rule comes from.</param>
/// <param name="Id">A stable identifier (<c>tls10-tls11</c>, <c>rc4</c> …): the same rule keeps it across versions, so a pipeline can allow-list it.</param>
public sealed record GradeCap(Letter Max, string Reason, string Rule, string Id);

/// <summary>
/// The grade, modelled on SSL Labs' SSL Server Rating Guide (2009q/r): a score from protocol, key exchange and
/// cipher strength, then caps; T (chain not trusted) and M (name mismatch) stand apart from A–F, as there.
/// </summary>
public sealed record GradeResult
{
    /// <summary>"A+", "A", "A-", "B" … "F", or "T" / "M".</summary>
    public required string Grade { get; init; }
    /// <summary>What the configuration earns if the certificate problem is set aside (SSL Labs' "if trust issues are ignored").</summary>
    public required string GradeIgnoringCertificate { get; init; }
    /// <summary>Why the grade is T or M (the certificate is not trusted, or not for this name); null otherwise.</summary>
    public string? CertificateOutcome { get; init; }
    /// <summary>The overall score, 0 to 100: 30 % protocol, 30 % key exchange, 40 % cipher strength.</summary>
    public required int Score { get; init; }
    /// <summary>The protocol score: the best and worst versions offered.</summary>
    public required int ProtocolScore { get; init; }
    /// <summary>The key exchange score: the weakest key exchange or certificate key offered.</summary>
    public required int KeyExchangeScore { get; init; }
    /// <summary>The cipher strength score: the strongest and weakest suites offered.</summary>
    public required int CipherScore { get; init; }
    /// <summary>The rules that capped the grade, each with its letter and reason.</summary>
    public required List<GradeCap> Caps { get; init; }

    /// <summary>A letter as it is printed: "A+", "A", "A-", "B" … "F".</summary>
    public static string Text(Letter l) => l switch
    {
        Letter.APlus => "A+",
        Letter.A => "A",
        Letter.AMinus => "A-",
        _ => l.ToString(),
    };
}
