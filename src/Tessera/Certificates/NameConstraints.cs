using System.Formats.Asn1;
using System.Net;

namespace Tessera.Certificates;

/// <summary>
/// RFC 5280 §4.2.1.10 name constraints, in full: dNSName, iPAddress, rfc822Name, uniformResourceIdentifier and
/// directoryName by their RFC semantics; otherName, x400Address, ediPartyName and registeredID, which have none, decided
/// safely (a name of such a form under a constraint of its form passes only by byte equality with a permitted subtree).
/// A name form with permitted subtrees must match one of them; no name may match an excluded one. Constraints that are
/// themselves malformed are refused when the certificate is read.
/// </summary>
public sealed class NameConstraints
{
    private readonly List<GeneralName> _permitted = [];
    private readonly List<GeneralName> _excluded = [];

    /// <summary>How many subtrees there are, permitted and excluded: one factor of the verifier's work bound.</summary>
    internal int Count => _permitted.Count + _excluded.Count;

    internal static NameConstraints Read(AsnReader reader)
    {
        var nc = new NameConstraints();
        var s = reader.ReadSequence();
        if (s.HasData && s.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
            ReadSubtrees(s.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)), nc._permitted);
        if (s.HasData && s.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 1)))
            ReadSubtrees(s.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 1)), nc._excluded);
        s.ThrowIfNotEmpty();
        // RFC 5280: conforming CAs must not issue an empty NameConstraints.
        if (nc._permitted.Count == 0 && nc._excluded.Count == 0) throw new AsnContentException("nameConstraints has no subtrees");
        return nc;
    }

    private static void ReadSubtrees(AsnReader subtrees, List<GeneralName> into)
    {
        if (!subtrees.HasData) throw new AsnContentException("nameConstraints has an empty list of subtrees");   // SIZE (1..MAX)
        while (subtrees.HasData)
        {
            var subtree = subtrees.ReadSequence();
            var name = GeneralName.Read(subtree);
            if (Invalid(name) is { } why) throw new AsnContentException($"a name constraint is invalid: {why}");
            into.Add(name);
            // minimum/maximum are unused in the Web PKI (RFC 5280: minimum MUST be 0, maximum MUST be absent).
            if (subtree.HasData) throw new AsnContentException("GeneralSubtree minimum/maximum are not supported");
        }
    }

    /// <summary>What makes a constraint meaningless, or null. A dNSName constraint is a domain, never ".domain" (that form is rfc822Name's and URI's).</summary>
    private static string? Invalid(GeneralName n)
    {
        switch (n.Kind)
        {
            case GeneralNameKind.Dns:
                if (n.Text!.StartsWith('.')) return $"the dNSName constraint '{Diagnostics.PeerText.Clip(n.Text)}' has a leading period";
                return DnsNameSyntax.Problem(n.Text, allowWildcard: false) is { } dns ? $"the dNSName constraint '{Diagnostics.PeerText.Clip(n.Text)}' {dns}" : null;
            case GeneralNameKind.Ip:
            {
                var b = n.Bytes!;
                if (b.Length is not (8 or 32)) return $"an iPAddress constraint has {b.Length} octets (8 or 32: address and mask)";
                // The mask must be a prefix: ones, then zeros (RFC 4632 CIDR notation, which §4.2.1.10 describes).
                var half = b.Length / 2;
                var zeros = false;
                for (var i = half; i < b.Length; i++)
                    for (var bit = 7; bit >= 0; bit--)
                    {
                        var one = (b[i] >> bit & 1) == 1;
                        if (one && zeros) return "an iPAddress constraint's mask is not a prefix";
                        zeros |= !one;
                    }
                return null;
            }
            case GeneralNameKind.Email:
                return n.Text!.Length == 0 ? "an empty rfc822Name constraint" : Mailbox.ConstraintProblem(n.Text);
            case GeneralNameKind.Uri:
                return n.Text!.Length == 0 ? "an empty URI constraint" : null;
            default:
                return null;
        }
    }

    /// <summary>Returns why <paramref name="cert"/> violates these constraints, or null when it does not.</summary>
    internal string? Violation(ParsedCertificate cert, bool checkSubject)
    {
        foreach (var name in cert.SubjectAltNames)
        {
            var why = name.Kind switch
            {
                GeneralNameKind.Dns => Check(name.Kind, c => DnsCovers(c.Text!, name.Text!, excluded: false), c => DnsCovers(c.Text!, name.Text!, excluded: true)),
                GeneralNameKind.Ip => Check(name.Kind, c => IpMatches(new IPAddress(name.Bytes!), c.Bytes!)),
                GeneralNameKind.Email => EmailViolation(name.Text!),
                GeneralNameKind.Uri => UriViolation(name.Text!),
                GeneralNameKind.DirectoryName => Check(name.Kind, c => DirectoryMatches(name.Bytes!, c.Bytes!)),
                _ => OpaqueViolation(name),
            };
            if (why is not null) return $"{Describe(name)} {why}";
        }
        if (checkSubject && !cert.HasEmptySubject)
        {
            if (Check(GeneralNameKind.DirectoryName, n => DirectoryMatches(cert.SubjectName.Span, n.Bytes!)) is { } why)
                return $"subject '{cert.Subject.Name}' {why}";
            // §4.2.1.10: rfc822Name constraints apply to emailAddress attributes in the subject too.
            foreach (var email in SubjectEmails(cert))
                if (EmailViolation(email) is { } bad)
                    return $"subject email address '{Diagnostics.PeerText.Clip(email)}' {bad}";
        }
        return null;
    }

    private string? Check(GeneralNameKind kind, Func<GeneralName, bool> matches, Func<GeneralName, bool>? excludes = null)
    {
        excludes ??= matches;
        foreach (var e in _excluded)
            if (e.Kind == kind && excludes(e)) return $"is in an excluded subtree ({Describe(e)})";
        var anyPermitted = false;
        foreach (var p in _permitted)
        {
            if (p.Kind != kind) continue;
            anyPermitted = true;
            if (matches(p)) return null;
        }
        return anyPermitted ? "is outside the permitted subtrees" : null;
    }

    /// <summary>RFC 5280 §4.2.1.10 for URIs: the constraint applies to the host; a URI without one cannot satisfy a URI constraint.</summary>
    private string? UriViolation(string uri)
    {
        if (!HasConstraints(GeneralNameKind.Uri)) return null;
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.HostNameType is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6) || parsed.IdnHost.Length == 0)
            return "has no host to check against the URI name constraints";
        var host = parsed.IdnHost.Trim('[', ']');
        return Check(GeneralNameKind.Uri, c => c.Text!.StartsWith('.')
            ? host.EndsWith(c.Text, StringComparison.OrdinalIgnoreCase)
            : host.Equals(c.Text, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Forms without matching semantics: permitted only by an identical subtree, never when an excluded subtree of the form exists that is not provably different.</summary>
    private string? OpaqueViolation(GeneralName name)
    {
        if (!HasConstraints(name.Kind)) return null;
        foreach (var e in _excluded)
            if (e.Kind == name.Kind && (name.Kind != GeneralNameKind.Other || e.Text == name.Text))
                return "cannot be checked against an excluded subtree of its form, so Tessera refuses it";
        return Check(name.Kind, c => c.Text == name.Text && (c.Bytes ?? []).AsSpan().SequenceEqual(name.Bytes ?? []));
    }

    /// <summary>
    /// An email address under rfc822Name constraints. One that is not a mailbox cannot be placed inside or outside a
    /// subtree ("a@b@example.com" is not a mailbox at example.com), so it fails any constraint of its form.
    /// </summary>
    private string? EmailViolation(string email)
    {
        if (!HasConstraints(GeneralNameKind.Email)) return null;
        if (Mailbox.Problem(email) is { } why)
            return $"is not a valid mailbox (it {why}; RFC 5280 §4.2.1.6), so it cannot satisfy the rfc822Name constraints";
        return Check(GeneralNameKind.Email, c => EmailMatches(email, c.Text!));
    }

    private bool HasConstraints(GeneralNameKind kind)
    {
        foreach (var c in _permitted) if (c.Kind == kind) return true;
        foreach (var c in _excluded) if (c.Kind == kind) return true;
        return false;
    }

    private static IEnumerable<string> SubjectEmails(ParsedCertificate cert)
    {
        var emails = new List<string>();
        try
        {
            foreach (var rdn in cert.Subject.EnumerateRelativeDistinguishedNames())
                if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == "1.2.840.113549.1.9.1" && rdn.GetSingleElementValue() is { } e)
                    emails.Add(e);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            emails.Add("");   // an attribute that does not decode matches no constraint, so a permitted subtree refuses it
        }
        return emails;
    }

    private static string Describe(GeneralName n) => n.Kind switch
    {
        GeneralNameKind.Ip => n.Bytes!.Length is 8 or 32
            ? $"{new IPAddress(n.Bytes[..(n.Bytes.Length / 2)])}/{new IPAddress(n.Bytes[(n.Bytes.Length / 2)..])}"
            : n.Bytes.Length is 4 or 16 ? $"IP address {new IPAddress(n.Bytes)}" : "malformed IP constraint",
        GeneralNameKind.DirectoryName => $"directory name '{new System.Security.Cryptography.X509Certificates.X500DistinguishedName(n.Bytes!).Name}'",
        GeneralNameKind.Dns => $"DNS name '{Diagnostics.PeerText.Clip(n.Text!)}'",
        GeneralNameKind.Email => $"email address '{Diagnostics.PeerText.Clip(n.Text!)}'",
        GeneralNameKind.Uri => $"URI '{Diagnostics.PeerText.Clip(n.Text!)}'",
        GeneralNameKind.Other => $"otherName of type {n.Text}",
        GeneralNameKind.RegisteredId => $"registeredID {n.Text}",
        _ => n.Kind.ToString(),
    };

    /// <summary>
    /// Whether a DNS constraint covers a SAN. A wildcard SAN "*.X" stands for every "l.X": a permitted subtree must cover
    /// all of them (it covers X), and an excluded subtree counts if it covers any (it covers X, or it is some "l.X").
    /// </summary>
    private static bool DnsCovers(string constraint, string name, bool excluded)
    {
        if (name.StartsWith("*.", StringComparison.Ordinal))
        {
            var parent = name[2..];
            if (DnsMatches(parent, constraint)) return true;
            if (!excluded) return false;
            var dot = constraint.IndexOf('.', StringComparison.Ordinal);
            return dot > 0 && constraint[(dot + 1)..].Equals(parent, StringComparison.OrdinalIgnoreCase);
        }
        return DnsMatches(name, constraint);
    }

    /// <summary>A DNS constraint covers the name itself and every name below it (RFC 5280 §4.2.1.10).</summary>
    internal static bool DnsMatches(string name, string constraint)
    {
        name = name.TrimEnd('.');
        if (constraint.Length == 0) return true;
        return name.Equals(constraint, StringComparison.OrdinalIgnoreCase) ||
               name.EndsWith("." + constraint, StringComparison.OrdinalIgnoreCase);
    }

    internal static bool IpMatches(IPAddress address, byte[] constraint)
    {
        var bytes = address.GetAddressBytes();
        if (constraint.Length != bytes.Length * 2) return false;   // IPv4 constraints never match IPv6 names and vice versa
        for (var i = 0; i < bytes.Length; i++)
        {
            var mask = constraint[bytes.Length + i];
            if ((bytes[i] & mask) != (constraint[i] & mask)) return false;
        }
        return true;
    }

    internal static bool EmailMatches(string email, string constraint)
    {
        if (constraint.Contains('@')) return email.Equals(constraint, StringComparison.OrdinalIgnoreCase);
        var host = Mailbox.DomainOf(email);
        return constraint.StartsWith('.')
            ? host.EndsWith(constraint, StringComparison.OrdinalIgnoreCase)
            : host.Equals(constraint, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A directoryName constraint covers a subject whose RDN sequence starts with the constraint's RDNs.</summary>
    internal static bool DirectoryMatches(ReadOnlySpan<byte> subject, byte[] constraint)
    {
        var subjectRdns = Rdns(subject);
        var constraintRdns = Rdns(constraint);
        if (constraintRdns.Count > subjectRdns.Count) return false;
        for (var i = 0; i < constraintRdns.Count; i++)
            if (!constraintRdns[i].AsSpan().SequenceEqual(subjectRdns[i])) return false;
        return true;
    }

    private static List<byte[]> Rdns(ReadOnlySpan<byte> name)
    {
        var list = new List<byte[]>();
        var seq = new AsnReader(name.ToArray(), AsnEncodingRules.DER).ReadSequence();
        while (seq.HasData) list.Add(seq.ReadEncodedValue().ToArray());
        return list;
    }
}
