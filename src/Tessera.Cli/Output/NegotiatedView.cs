using System.Globalization;
using Spectre.Console;
using Tessera.Diagnostics;
using Tessera.Wire;

namespace Tessera.Cli.Output;

/// <summary>The result of a handshake as a two-column table: what was agreed and who proved what.</summary>
internal static class NegotiatedView
{
    public static Table Build(TlsConnection client, TlsConnection server)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("negotiated").AddColumn("value");
        Add(table, "version", client.NegotiatedVersion is { } v ? TlsNames.OfVersion((ushort)v) : "-");
        Add(table, "cipher suite", client.CipherSuite is { } s ? TlsNames.Of(s) : "-");
        Add(table, "key exchange", client.KeyExchangeGroup is { } g ? TlsNames.Of(g) : "-");
        Add(table, "crypto provider", client.CryptoProvider.Name);
        Add(table, "server signature", client.PeerSignatureScheme is { } sig ? TlsNames.Of(sig) : "-");
        Add(table, "server certificate", client.PeerCertificates.Count > 0 ? PeerText.Clip(client.PeerCertificates[0].Subject, 256) : "-");
        Add(table, "client certificate", server.PeerCertificates.Count > 0 ? PeerText.Clip(server.PeerCertificates[0].Subject, 256) : "none");
        Add(table, "server name (SNI)", server.ServerName ?? "-");
        Add(table, "ALPN", client.ApplicationProtocol ?? "none");
        Add(table, "HelloRetryRequest", client.HelloRetryRequested ? "yes" : "no");
        Add(table, "resumed", client.WasResumed ? "yes" : "no");
        return table;
    }

    public static string Milliseconds(TimeSpan t) => t.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    private static void Add(Table table, string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
}
