using System.Security.Cryptography.X509Certificates;
using Tessera.Diagnostics;
using Tessera.Wire;

namespace Tessera.Certificates;

/// <summary>
/// The rules one certificate must meet for its place in a path and the profile: extension presence and criticality
/// (RFC 5280 §4.2, CA/B Forum BR §7.1.2), serial numbers (§4.1.2.2), subject form (§4.1.2.6), keys (BR §6.1.5, RFC 5480),
/// signature AlgorithmIdentifier encodings (RFC 4055, RFC 5758, BR §7.1.3.2), DNS names, wildcards against the Public
/// Suffix List (BR §3.2.2.6). Each rule names the clause it enforces; path-wide rules (validity, path length, name
/// constraints, EKU chaining) stay in <see cref="PathValidator"/>. Under WebPki a relying party refuses only what the
/// browsers' verifiers (Chrome's, and rustls-webpki beside it) refuse: rules that bind the CA issuing a certificate and
/// that those verifiers do not enforce (the subject CN, criticality of nameConstraints and subjectAltName, EKU form in
/// leaves and roots, and the like) are <see cref="IssuanceLint"/>'s findings instead of refusals.
/// </summary>
internal static class CertificateProfileRules
{
    /// <summary>The first rule <paramref name="cert"/> breaks in <paramref name="role"/>, as the part of a sentence after its name, or null.</summary>
    /// <remarks>
    /// The verdict depends only on the certificate's bytes, its role and the profile, so it is kept on the (cached) parsed
    /// certificate: a chain seen before is not judged again, and the caller builds a sentence only on failure.
    /// </remarks>
    public static string? Check(ParsedCertificate cert, CertificateRole role, VerificationProfile profile)
    {
        var slot = (int)role * 2 + (int)profile;
        var rule = cert.ProfileVerdicts[slot];
        if (rule is null) cert.ProfileVerdicts[slot] = rule = Judge(cert, role, profile) ?? "";
        return rule.Length == 0 ? null : rule;
    }

    /// <summary>The first rule broken, as the part of a sentence after the certificate's name, or null.</summary>
    private static string? Judge(ParsedCertificate cert, CertificateRole role, VerificationProfile profile)
    {
        var web = profile == VerificationProfile.WebPki;
        // A version 1 root has no extensions to judge; it is accepted as an anchor, as OpenSSL and platform stores do.
        if (role == CertificateRole.Anchor && cert.Version == 1) return null;

        if (role != CertificateRole.Anchor && SerialProblem(cert.SerialNumber) is { } serial)
            return $"has {serial}, which RFC 5280 §4.1.2.2 forbids (serial numbers are positive and at most 20 octets)";
        if (KeyProblem(cert, web) is { } key) return key;
        // An anchor's own signature is never checked (it is trusted by configuration), so its algorithm is not judged.
        if (role != CertificateRole.Anchor && SignatureAlgorithmProblem(cert, web) is { } algorithm) return algorithm;

        // Key identifiers (RFC 5280 §4.2.1.1, §4.2.1.2; BR §7.1.2.1.3 for roots).
        if (cert.IsCritical(Oids.AuthorityKeyIdentifier))
            return "marks authorityKeyIdentifier critical, which RFC 5280 §4.2.1.1 forbids";
        if (cert.IsCritical(Oids.SubjectKeyIdentifier))
            return "marks subjectKeyIdentifier critical, which RFC 5280 §4.2.1.2 forbids";
        // Only a self-signed certificate may leave the AKI out (§4.2.1.1). An anchor is usually self-signed, but a
        // cross-signed root trusted directly is not (its issuer is the other root), and the exception does not cover it.
        if ((role != CertificateRole.Anchor || !cert.IsSelfIssued) && cert.AuthorityKeyIdentifier is null)
            return cert.HasAuthorityKeyIdentifierExtension
                ? "has an authorityKeyIdentifier without keyIdentifier, which RFC 5280 §4.2.1.1 requires of certificates that are not self-signed"
                : "has no authorityKeyIdentifier, which RFC 5280 §4.2.1.1 requires of certificates that are not self-signed";

        var isCa = cert.IsCa == true;
        if (role != CertificateRole.Leaf || isCa)
        {
            if (cert.SubjectKeyIdentifier is null)
                return "has no subjectKeyIdentifier, which RFC 5280 §4.2.1.2 requires of CA certificates";
            if (isCa && !cert.IsCritical(Oids.BasicConstraints))
                return "does not mark basicConstraints critical, which RFC 5280 §4.2.1.9 requires of CA certificates";
            if (cert.HasEmptySubject)
                return "has an empty subject, which RFC 5280 §4.1.2.6 forbids in CA certificates";
        }

        if (cert.KeyUsage is { } ku)
        {
            if (ku == X509KeyUsageFlags.None)
                return "has a keyUsage with no bit set, which RFC 5280 §4.2.1.3 forbids";
            if ((ku & X509KeyUsageFlags.KeyCertSign) != 0 && !isCa)
                return "asserts keyCertSign without basicConstraints cA, which RFC 5280 §4.2.1.3 forbids";
        }

        if (role == CertificateRole.Leaf && isCa && web)
            return "is a CA certificate (basicConstraints cA is set) used as an end-entity certificate, which BR §7.1.2.7.8 forbids";

        // Name and policy constraints (RFC 5280 §4.2.1.10, §4.2.1.11).
        if (cert.Has(Oids.NameConstraints))
        {
            if (role == CertificateRole.Leaf && !isCa)
                return "carries nameConstraints, which RFC 5280 §4.2.1.10 allows only in CA certificates";
            // The criticality rule binds the CA that issues (RFC 5280 §4.2.1.10 "Conforming CAs MUST"); Chrome and
            // rustls-webpki apply the constraints either way, so under WebPki it is a lint, not a refusal.
            if (!web && !cert.IsCritical(Oids.NameConstraints))
                return "does not mark nameConstraints critical, which RFC 5280 §4.2.1.10 requires";
        }
        if (cert.Has(Oids.PolicyConstraints) && !cert.IsCritical(Oids.PolicyConstraints))
            return "does not mark policyConstraints critical, which RFC 5280 §4.2.1.11 requires";

        // Subject alternative names (RFC 5280 §4.2.1.6, BR §7.1.2.7.12).
        if (cert.HasEmptySubject && !cert.IsCritical(Oids.SubjectAltName))
            return cert.HasSubjectAltName
                ? "has an empty subject and a non-critical subjectAltName; RFC 5280 §4.2.1.6 requires it critical then"
                : "has an empty subject and no subjectAltName, so it names nobody (RFC 5280 §4.2.1.6)";

        // Names (RFC 5280 §4.2.1.6; BR §3.2.2.6 and §7.1.4.3 for subscribers).
        foreach (var dns in cert.DnsNames)
        {
            if (DnsNameSyntax.Problem(dns) is { } bad)
                return $"has the DNS name '{PeerText.Clip(dns)}', which {bad} (RFC 5280 §4.2.1.6 preferred name syntax)";
            if (web && role == CertificateRole.Leaf && dns.StartsWith("*.", StringComparison.Ordinal) && PublicSuffixList.IsPublicSuffix(dns[2..]))
                return $"has the wildcard name '{PeerText.Clip(dns)}' directly above the public suffix '{PeerText.Clip(dns[2..])}', which BR §3.2.2.6 forbids";
        }
        return null;
    }

    /// <summary>The key rules: BR §6.1.5 (RSA ≥ 2048 in whole octets, ECDSA on P-256/384/521), RFC 5480 §2.1.1 (named curves only), no DSA.</summary>
    private static string? KeyProblem(ParsedCertificate cert, bool web)
    {
        switch (cert.PublicKeyAlgorithm)
        {
            case Crypto.KeyOids.RsaEncryption or Crypto.KeyOids.RsaSsaPss:
                // 2048 bits is a floor in both profiles: below it a signature is no longer evidence (NIST SP 800-131A).
                if (cert.RsaModulusBits < 2048) return $"has a {cert.RsaModulusBits}-bit RSA key; Tessera requires at least 2048 bits (BR §6.1.5)";
                if (web && cert.PublicKeyAlgorithm == Crypto.KeyOids.RsaSsaPss) return "has an id-RSASSA-PSS key, which BR §7.1.3.1.1 forbids (RSA keys are rsaEncryption)";
                return null;
            case Crypto.KeyOids.EcPublicKey:
                if (cert.EcCurveNotNamed) return "has an EC key with explicit curve parameters, which RFC 5480 §2.1.1 forbids (curves are named)";
                if (web && cert.EcCurve is not (Crypto.CurveOids.P256 or Crypto.CurveOids.P384 or Crypto.CurveOids.P521))
                    return $"has an EC key on curve {cert.EcCurve}, which BR §6.1.5 forbids (P-256, P-384 and P-521 only)";
                return null;
            case Oids.DsaKey:
                return "has a DSA key, which Tessera refuses (BR §6.1.5; no TLS 1.3 signature scheme uses DSA)";
            default:
                return web ? $"has a {KeyName(cert.PublicKeyAlgorithm)} key, which BR §6.1.5 forbids (RSA and ECDSA only)" : null;
        }
    }

    private static string KeyName(string oid) => oid == Crypto.KeyOids.Ed25519 ? "Ed25519" : oid;

    /// <summary>The AlgorithmIdentifier encodings RFC 4055 / RFC 5758 / RFC 8410 allow, and the exact ones BR §7.1.3.2 allows.</summary>
    private static string? SignatureAlgorithmProblem(ParsedCertificate cert, bool web)
    {
        var parameters = cert.SignatureParameters;
        switch (cert.SignatureAlgorithm)
        {
            case Oids.Sha256WithRsa or Oids.Sha384WithRsa or Oids.Sha512WithRsa:
                // RFC 4055 §5: parameters are NULL, and verifiers must accept them absent; BR §7.1.3.2.1 allows only NULL.
                if (parameters is { } p && !p.Span.SequenceEqual(DerNull))
                    return "has RSA PKCS#1 signature parameters that are not NULL, which RFC 4055 §5 forbids";
                return null;
            case Oids.EcdsaWithSha256 or Oids.EcdsaWithSha384 or Oids.EcdsaWithSha512:
                return parameters is null ? null : "has ECDSA signature parameters, which RFC 5758 §3.2 forbids";
            case Oids.Ed25519:
                if (parameters is not null) return "has Ed25519 signature parameters, which RFC 8410 §3 forbids";
                return web ? "is signed with Ed25519, which BR §7.1.3.2 does not allow" : null;
            case Oids.RsaSsaPss:
                if (!web || parameters is null) return null;   // the RFC 4055 parameter rules are enforced when the signature is checked
                foreach (var allowed in PssParameters)
                    if (parameters.Value.Span.SequenceEqual(allowed)) return null;
                return "has RSASSA-PSS parameters other than the three encodings BR §7.1.3.2.1 allows";
            default:
                return null;   // refused or unknown algorithms fail when the signature is checked, with their own sentence
        }
    }

    private static readonly byte[] DerNull = [0x05, 0x00];

    /// <summary>BR §7.1.3.2.1: RSASSA-PSS with SHA-256/384/512, MGF1 with the same hash, salt the hash's length, default trailer.</summary>
    private static readonly byte[][] PssParameters = [Pss(Oids.Sha256, 32), Pss(Oids.Sha384, 48), Pss(Oids.Sha512, 64)];

    private static byte[] Pss(string hash, int salt)
    {
        var w = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            using (w.PushSequence(new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 0)))
                HashAlgorithm(w, hash);
            using (w.PushSequence(new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 1)))
            using (w.PushSequence())
            {
                w.WriteObjectIdentifier(Oids.Mgf1);
                HashAlgorithm(w, hash);
            }
            using (w.PushSequence(new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 2)))
                w.WriteInteger(salt);
        }
        return w.Encode();
    }

    private static void HashAlgorithm(System.Formats.Asn1.AsnWriter w, string hash)
    {
        using (w.PushSequence())
        {
            w.WriteObjectIdentifier(hash);
            w.WriteNull();
        }
    }

    /// <summary>
    /// BR §7.1.4.3: a subscriber's subject CN, when present, appears once and is a character-for-character copy of one of
    /// its SAN dNSNames, or the text form of one of its SAN IP addresses (dotted quad, RFC 5952 for IPv6).
    /// </summary>
    internal static string? CommonNameProblem(ParsedCertificate cert)
    {
        string? cn = null;
        try
        {
            foreach (var rdn in cert.Subject.EnumerateRelativeDistinguishedNames())
            {
                if (rdn.HasMultipleElements || rdn.GetSingleElementType().Value != "2.5.4.3") continue;
                if (cn is not null) return "has more than one subject CN, which BR §7.1.4.3 forbids";
                cn = rdn.GetSingleElementValue() ?? "";
            }
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return "has a subject whose attributes do not decode";
        }
        if (cn is null) return null;
        foreach (var dns in cert.DnsNames)
            if (string.Equals(dns, cn, StringComparison.Ordinal)) return null;
        foreach (var ip in cert.IpAddresses)
            if (string.Equals(ip.ToString(), cn, StringComparison.Ordinal)) return null;
        return $"has the subject CN '{PeerText.Clip(cn)}', which is not one of its subjectAltNames as BR §7.1.4.3 requires";
    }

    /// <summary>What is wrong with a DER INTEGER serial, or null: negative, zero, or more than 20 octets of magnitude.</summary>
    internal static string? SerialProblem(ReadOnlySpan<byte> serial)
    {
        if (serial.Length == 0) return "an empty serial number";
        if ((serial[0] & 0x80) != 0) return "a negative serial number";
        if (serial.Length == 1 && serial[0] == 0) return "serial number zero";
        // A 20-octet positive number whose top bit is set needs a leading zero octet in DER: 21 octets, 20 of magnitude.
        var magnitude = serial[0] == 0 ? serial.Length - 1 : serial.Length;
        return magnitude > 20 ? $"a serial number of {magnitude} octets" : null;
    }

}
