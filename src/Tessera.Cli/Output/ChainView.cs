using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Spectre.Console;
using Tessera.Diagnostics;
using Tessera.Crypto;

namespace Tessera.Cli.Output;

/// <summary>The peer's chain as a tree, leaf first, with validity, days to expiry, key type and a verdict per certificate.</summary>
internal static class ChainView
{
    public static Tree Build(IReadOnlyList<X509Certificate2> chain, DateTimeOffset now, string? failure)
    {
        var tree = new Tree(failure is null ? "[green]certificate chain: trusted[/]" : $"[red]certificate chain: refused[/] [grey]({Markup.Escape(failure)})[/]");
        TreeNode? parent = null;
        foreach (var cert in chain)
        {
            var label = Markup.Escape(Describe(cert, now, out var ok));
            var line = ok ? label : $"[red]{label}[/]";
            parent = parent is null ? tree.AddNode(line) : parent.AddNode(line);
        }
        return tree;
    }

    public static string Describe(X509Certificate2 cert, DateTimeOffset now, out bool timeValid)
    {
        var notAfter = new DateTimeOffset(cert.NotAfter.ToUniversalTime());
        var notBefore = new DateTimeOffset(cert.NotBefore.ToUniversalTime());
        var days = (int)Math.Floor((notAfter - now).TotalDays);
        timeValid = now >= notBefore && now <= notAfter;
        var verdict = now > notAfter ? $"expired {-days} days ago" : now < notBefore ? "not yet valid" : $"expires in {days} days";
        return string.Create(CultureInfo.InvariantCulture,
            $"{PeerText.Clip(cert.Subject, 256)}  [{KeyDescription.Of(cert)}]  {notBefore:yyyy-MM-dd} → {notAfter:yyyy-MM-dd} ({verdict})  issuer {PeerText.Clip(cert.Issuer, 256)}");
    }
}
