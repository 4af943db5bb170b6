using System.Formats.Asn1;
using System.Net;

namespace Tessera.Certificates;

/// <summary>
/// RFC 5280 §4.2.1.10 name constraints, for the forms Tessera enforces: dNSName, iPAddress, rfc822Name and
/// directoryName. A name form with permitted subtrees must match one of them; no name may match an excluded one.
/// </summary>
public sealed class NameConstraints
{
    private readonly List<GeneralName> _permitted = [];
    private readonly List<GeneralName> _excluded = [];

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
        while (subtrees.HasData)
        {
            var subtree = subtrees.ReadSequence();
            into.Add(GeneralName.Read(subtree));
            // minimum/maximum are unused in the Web PKI (RFC 5280: minimum MUST be 0, maximum MUST be absent).
            if (subtree.HasData) throw new AsnContentException("GeneralSubtree minimum/maximum are not supported");
        }
    }

    /// <summary>Returns why <paramref name="cert"/> violates these constraints, or null when it does not.</summary>
    internal string? Violation(ParsedCertificate cert, bool checkSubject)
    {
        foreach (var dns in cert.DnsNames)
            if (Check(GeneralNameKind.Dns, n => DnsMatches(dns, n.Text!)) is { } why) return $"DNS name '{dns}' {why}";
        foreach (var ip in cert.IpAddresses)
            if (Check(GeneralNameKind.Ip, n => IpMatches(ip, n.Bytes!)) is { } why) return $"IP address {ip} {why}";
        foreach (var email in cert.EmailAddresses)
            if (Check(GeneralNameKind.Email, n => EmailMatches(email, n.Text!)) is { } why) return $"email address '{email}' {why}";
        if (checkSubject && cert.Subject.RawData.Length > 2)
            if (Check(GeneralNameKind.DirectoryName, n => DirectoryMatches(cert.SubjectName.Span, n.Bytes!)) is { } why)
                return $"subject '{cert.Subject.Name}' {why}";
        return null;
    }

    private string? Check(GeneralNameKind kind, Func<GeneralName, bool> matches)
    {
        foreach (var e in _excluded)
            if (e.Kind == kind && matches(e)) return $"is in an excluded subtree ({Describe(e)})";
        var anyPermitted = false;
        foreach (var p in _permitted)
        {
            if (p.Kind != kind) continue;
            anyPermitted = true;
            if (matches(p)) return null;
        }
        return anyPermitted ? "is outside the permitted subtrees" : null;
    }

    private static string Describe(GeneralName n) => n.Kind switch
    {
        GeneralNameKind.Ip => n.Bytes!.Length is 8 or 32
            ? $"{new IPAddress(n.Bytes[..(n.Bytes.Length / 2)])}/{new IPAddress(n.Bytes[(n.Bytes.Length / 2)..])}"
            : "malformed IP constraint",
        GeneralNameKind.DirectoryName => new System.Security.Cryptography.X509Certificates.X500DistinguishedName(n.Bytes!).Name,
        _ => n.Text ?? "?",
    };

    /// <summary>A DNS constraint covers the name itself and every name below it; a leading dot means below only.</summary>
    internal static bool DnsMatches(string name, string constraint)
    {
        name = name.TrimEnd('.');
        if (constraint.Length == 0) return true;
        if (constraint.StartsWith('.'))
            return name.EndsWith(constraint, StringComparison.OrdinalIgnoreCase);
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
        var at = email.LastIndexOf('@');
        var host = at >= 0 ? email[(at + 1)..] : email;
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
