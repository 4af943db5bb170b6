namespace Tessera.Certificates;

/// <summary>
/// The syntax of an rfc822Name: a Mailbox as RFC 5321 §4.1.2 defines it (RFC 5280 §4.2.1.6), Local-part "@" Domain,
/// where the local part is a dot-string of atoms or a quoted string and the domain a host name in preferred syntax or
/// an address literal. Name constraints can only be judged against names of this form: "a@b@example.com" would
/// otherwise be read as a mailbox at example.com.
/// </summary>
internal static class Mailbox
{
    /// <summary>Why <paramref name="text"/> is not a mailbox, or null when it is one.</summary>
    public static string? Problem(string text)
    {
        var at = LocalPartEnd(text);
        if (at < 0) return "has no local part and domain separated by one '@'";
        if (at == 0) return "has an empty local part";
        return DomainProblem(text[(at + 1)..]);
    }

    /// <summary>The domain of a mailbox that has no <see cref="Problem"/>.</summary>
    public static string DomainOf(string mailbox) => mailbox[(LocalPartEnd(mailbox) + 1)..];

    /// <summary>Why an rfc822Name constraint is meaningless, or null: a mailbox, a host, or ".domain" (RFC 5280 §4.2.1.10).</summary>
    public static string? ConstraintProblem(string constraint)
    {
        if (constraint.Contains('@')) return Problem(constraint) is { } why ? $"the rfc822Name constraint {why}" : null;
        var domain = constraint.StartsWith('.') ? constraint[1..] : constraint;
        return DomainProblem(domain) is { } bad ? $"the rfc822Name constraint's domain {bad}" : null;
    }

    /// <summary>Where the '@' after the local part is, or -1 when the local part is malformed or no '@' follows it.</summary>
    private static int LocalPartEnd(string text)
    {
        if (text.Length == 0) return -1;
        if (text[0] == '"')
        {
            // Quoted-string: qtext or backslash pairs up to the closing quote (RFC 5321 §4.1.2).
            for (var i = 1; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '\\') { i++; continue; }
                if (c == '"') return i + 1 < text.Length && text[i + 1] == '@' && i > 1 ? i + 1 : -1;
                if (c < 32 || c > 126) return -1;
            }
            return -1;
        }
        // Dot-string: atoms of atext joined by single dots.
        var previousDot = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '@') return previousDot ? -1 : i;
            if (c == '.')
            {
                if (previousDot) return -1;
                previousDot = true;
                continue;
            }
            if (!IsAtext(c)) return -1;
            previousDot = false;
        }
        return -1;
    }

    private static string? DomainProblem(string domain)
    {
        if (domain.Length == 0) return "has an empty domain";
        if (domain.StartsWith('[') && domain.EndsWith(']')) return null;   // an address literal
        return DnsNameSyntax.Problem(domain, allowWildcard: false) is { } why ? $"has a domain that {why}" : null;
    }

    private static bool IsAtext(char c) =>
        c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' ||
        "!#$%&'*+-/=?^_`{|}~".Contains(c);
}
