using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Tessera.Cli.Html;

/// <summary>
/// Writes HTML as plain C# over <see cref="HtmlEncoder"/>: no template engine, because the .NET engines (Razor,
/// RazorLight, Scriban, Fluid) compile at run time or bind models by reflection, which Native AOT and trimming do not
/// allow for the tool. Markup is only ever a constant from this code (<see cref="Raw"/>, tag and attribute names);
/// every value — and above all everything a peer sent: certificate names, ALPN, alert texts, server headers — goes
/// through <see cref="Encode"/>, the one function that makes text safe in element content and quoted attributes.
/// </summary>
internal sealed class HtmlWriter
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);
    private readonly StringBuilder _html = new();

    /// <summary>Text safe in element content and in a double-quoted attribute value.</summary>
    public static string Encode(string? text) => Encoder.Encode(text ?? "");

    /// <summary>Constant markup written by this program (never a value).</summary>
    public HtmlWriter Raw(string markup)
    {
        _html.Append(markup);
        return this;
    }

    /// <summary>A value as text.</summary>
    public HtmlWriter Text(string? text)
    {
        _html.Append(Encode(text));
        return this;
    }

    /// <summary>An opening tag with attributes (values encoded; a null value leaves the attribute out).</summary>
    public HtmlWriter Open(string tag, params (string Name, string? Value)[] attributes)
    {
        _html.Append('<').Append(tag);
        foreach (var (name, value) in attributes)
            if (value is not null) _html.Append(' ').Append(name).Append("=\"").Append(Encode(value)).Append('"');
        _html.Append('>');
        return this;
    }

    /// <summary>A closing tag.</summary>
    public HtmlWriter Close(string tag)
    {
        _html.Append("</").Append(tag).Append('>');
        return this;
    }

    /// <summary>An element holding one text value.</summary>
    public HtmlWriter Element(string tag, string? text, string? cssClass = null) => Open(tag, ("class", cssClass)).Text(text).Close(tag);

    public override string ToString() => _html.ToString();

    /// <summary>
    /// A whole page: the body inside a document whose Content-Security-Policy allows nothing but this page's own
    /// style sheet (by its SHA-256) and data: images, so the file opens offline and nothing in it can run a script.
    /// </summary>
    public static string Page(string title, string css, string body)
    {
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(css)));
        var page = new StringBuilder(body.Length + css.Length + 1024);
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-").Append(hash).Append("'; img-src data:; base-uri 'none'; form-action 'none'\">\n")
            .Append("<meta name=\"referrer\" content=\"no-referrer\">\n")
            .Append("<title>").Append(Encode(title)).Append("</title>\n")
            .Append("<style>").Append(css).Append("</style>\n</head>\n<body>\n")
            .Append(body)
            .Append("\n</body>\n</html>\n");
        return page.ToString();
    }
}
