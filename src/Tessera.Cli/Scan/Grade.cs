namespace Tessera.Cli.Scan;

/// <summary>Letter grades, worst first, so a cap is a minimum.</summary>
internal enum Letter { F, E, D, C, B, AMinus, A, APlus }

/// <summary>A rule that capped the grade: the highest letter it allows and the sentence that says why.</summary>
internal sealed record GradeCap(Letter Max, string Reason, string Rule);

/// <summary>
/// The grade, modelled on SSL Labs' SSL Server Rating Guide (2009q/r): a score from protocol, key exchange and
/// cipher strength, then caps; T (chain not trusted) and M (name mismatch) stand apart from A–F, as there.
/// </summary>
internal sealed record GradeResult
{
    /// <summary>"A+", "A", "A-", "B" … "F", or "T" / "M".</summary>
    public required string Grade { get; init; }
    /// <summary>What the configuration earns if the certificate problem is set aside (SSL Labs' "if trust issues are ignored").</summary>
    public required string GradeIgnoringCertificate { get; init; }
    public string? CertificateOutcome { get; init; }
    public required int Score { get; init; }
    public required int ProtocolScore { get; init; }
    public required int KeyExchangeScore { get; init; }
    public required int CipherScore { get; init; }
    public required List<GradeCap> Caps { get; init; }

    public static string Text(Letter l) => l switch
    {
        Letter.APlus => "A+",
        Letter.A => "A",
        Letter.AMinus => "A-",
        _ => l.ToString(),
    };
}
