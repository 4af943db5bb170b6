using Tessera.Cli.Cli;
using Tessera.Wire;

namespace Tessera.Cli.Settings;

/// <summary>The core's name parser (<see cref="Wire.TlsNames"/>) with its refusals as usage errors, and the checks that are about a command's flags together.</summary>
internal static class TlsNameFlags
{
    public static List<NamedGroup> Groups(string list) => Usage(() => Wire.TlsNames.Groups(list));

    /// <summary>A command's --groups, refused when it would leave a TLS 1.2-only run without a group TLS 1.2 can use.</summary>
    public static List<NamedGroup> Groups(string list, bool tls12Only)
    {
        var groups = Groups(list);
        if (tls12Only && !groups.Exists(Crypto.KeyExchange.IsUsableInTls12))
            throw new CliException(ExitCodes.Usage, "--tls1.2 needs a group that works in TLS 1.2 (X25519MLKEM768 is TLS 1.3 only)");
        return groups;
    }

    public static List<CipherSuite> Suites(string list) => Usage(() => Wire.TlsNames.Suites(list));

    /// <summary>--cert-compression: "brotli,zlib", or "none" for an empty list (compression off).</summary>
    public static List<CertificateCompressionAlgorithm> CertificateCompression(string list) => Usage(() => Wire.TlsNames.CertificateCompression(list));

    public static List<SignatureScheme> Schemes(string list) => Usage(() => Wire.TlsNames.Schemes(list));

    private static T Usage<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (FormatException e)
        {
            throw new CliException(ExitCodes.Usage, e.Message, e);
        }
    }
}
