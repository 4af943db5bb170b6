using Tessera.Wire;

namespace Tessera.Certificates;

/// <summary>
/// Builds certification paths from an end-entity to a trusted root (RFC 4158 style, depth-first). Every
/// candidate issuer is tried — several roots with one name, re-keyed and cross-signed intermediates — and each
/// complete path is handed to the validator until one passes. Depth-limited and loop-free. When no path passes,
/// the error from the path that got furthest is reported, since it is the one a person would want to fix.
/// </summary>
/// <remarks>
/// <paramref name="chain"/> is what the peer sent, leaf first: everything after the leaf is a candidate intermediate.
/// Each complete path is judged by <see cref="PathValidator"/> for <paramref name="purpose"/> at <paramref name="now"/>
/// under <paramref name="profile"/> (fields, not a callback: verifying a chain allocates no closure).
/// </remarks>
internal sealed class PathBuilder(TrustStore trust, IReadOnlyList<ParsedCertificate> chain, CertificatePurpose purpose, DateTimeOffset now,
    VerificationProfile profile, int maxDepth = PathBuilder.DefaultMaxDepth)
{
    /// <summary>
    /// Certificates in a path, anchor and leaf included, unless the verifier is told otherwise. Self-issued
    /// intermediates (a CA's re-key certificates) do not count, as RFC 5280 §4.2.1.9 counts path length.
    /// </summary>
    public const int DefaultMaxDepth = 8;

    /// <summary>The most certificates a path may hold whatever they are, so self-issued certificates cannot make it unbounded.</summary>
    private readonly int _hardCap = Math.Max(16, 2 * maxDepth);
    private const int MaxSignatureChecks = 64;

    private TlsException? _best;
    private int _bestDepth = -1;
    private int _signatureChecks;

    /// <summary>Returns the first valid path from the chain's leaf; throws the most informative failure when none is valid.</summary>
    public CertificatePath Build()
    {
        var leaf = chain[0];
        var stack = new List<ParsedCertificate>(4) { leaf };
        var found = Extend(stack);
        if (found is not null) return found;
        throw _best ?? new TlsException(AlertDescription.UnknownCa, $"no certification path for '{leaf.DisplayName}'");
    }

    private CertificatePath? Extend(List<ParsedCertificate> stack)
    {
        var current = stack[^1];

        // The current certificate may itself be a trust anchor (a root sent by the peer, or a directly trusted leaf).
        if (trust.Contains(current))
            return TryPath(stack);

        // Any extension adds at least the anchor, which counts; so a stack already at the limit cannot grow.
        if (CountedLength(stack) >= maxDepth)
        {
            Record(stack.Count, new TlsException(AlertDescription.BadCertificate, $"the chain of '{stack[0].DisplayName}' is longer than {maxDepth} certificates, self-issued intermediates not counted (the verifier's maximum path length)"));
            return null;
        }
        if (stack.Count >= _hardCap)
        {
            Record(stack.Count, new TlsException(AlertDescription.BadCertificate, $"the chain of '{stack[0].DisplayName}' holds more than {_hardCap} certificates, which the verifier refuses whatever they are"));
            return null;
        }

        var anyIssuer = false;
        var roots = trust.BySubject(current.IssuerName.Span);
        for (var position = 0; NextCandidate(current, roots, ref position, out var candidate, out var isRoot);)
        {
            if (Contains(stack, candidate)) continue;    // loop
            anyIssuer = true;
            if (++_signatureChecks > MaxSignatureChecks)
            {
                Record(stack.Count, new TlsException(AlertDescription.BadCertificate, "path building gave up after too many candidate issuers"));
                return null;
            }
            bool signed;
            try
            {
                signed = SignatureCache.Contains(current, candidate) ||
                    SignedDataVerifier.Verify(current.SignatureAlgorithm, current.SignatureParameters, current.TbsCertificate.Span,
                        current.Signature, candidate, $"certificate '{current.DisplayName}'");
                if (signed) SignatureCache.Add(current, candidate);
            }
            catch (TlsException e)
            {
                Record(stack.Count + 1, e);
                continue;
            }
            if (!signed)
            {
                Record(stack.Count, new TlsException(AlertDescription.BadCertificate,
                    $"the signature on certificate '{current.DisplayName}' does not verify with the key of '{candidate.DisplayName}'"));
                continue;
            }
            stack.Add(candidate);
            var path = isRoot ? TryPath(stack) : Extend(stack);
            stack.RemoveAt(stack.Count - 1);
            if (path is not null) return path;
        }

        if (!anyIssuer)
        {
            var detail = current.IsSelfIssued
                ? $"it ends at '{current.Subject.Name}', which is not in the trust store ({trust.Description})"
                : $"the issuer '{current.Issuer.Name}' was not sent by the peer and is not a trusted root (missing intermediate?)";
            Record(stack.Count, new TlsException(AlertDescription.UnknownCa, $"certificate for {stack[0].DisplayName} is not trusted: {detail}"));
        }
        return null;
    }

    private CertificatePath? TryPath(List<ParsedCertificate> stack)
    {
        var ordered = new ParsedCertificate[stack.Count];
        for (var i = 0; i < ordered.Length; i++) ordered[i] = stack[stack.Count - 1 - i];
        var path = new CertificatePath(ordered);
        var error = PathValidator.Validate(path, purpose, now, profile);
        if (error is null) return path;
        Record(stack.Count + 1, error);   // a complete path that fails beats any incomplete one
        return null;
    }

    /// <summary>
    /// The next candidate issuer of <paramref name="child"/> after <paramref name="position"/>: trusted roots first
    /// (shortest paths), then the peer's intermediates; names must match and key identifiers must not contradict. By
    /// position rather than an iterator, so verifying a chain — once per full handshake — allocates no enumerator.
    /// </summary>
    private bool NextCandidate(ParsedCertificate child, IReadOnlyList<ParsedCertificate> roots, ref int position,
        out ParsedCertificate candidate, out bool isRoot)
    {
        while (position < roots.Count)
        {
            var root = roots[position++];
            if (!KeyIdsAgree(child, root)) continue;
            (candidate, isRoot) = (root, true);
            return true;
        }
        // chain[0] is the leaf; the intermediates follow it.
        while (position - roots.Count + 1 < chain.Count)
        {
            var c = chain[position++ - roots.Count + 1];
            if (!c.SubjectName.Span.SequenceEqual(child.IssuerName.Span) || !KeyIdsAgree(child, c) || trust.Contains(c)) continue;
            (candidate, isRoot) = (c, false);
            return true;
        }
        (candidate, isRoot) = (null!, false);
        return false;
    }

    private static bool KeyIdsAgree(ParsedCertificate child, ParsedCertificate issuer) =>
        child.AuthorityKeyIdentifier is null || issuer.SubjectKeyIdentifier is null ||
        child.AuthorityKeyIdentifier.AsSpan().SequenceEqual(issuer.SubjectKeyIdentifier);

    /// <summary>The leaf and every certificate above it that is not self-issued (RFC 5280 §4.2.1.9, §6.1.4 (l)).</summary>
    private static int CountedLength(List<ParsedCertificate> stack)
    {
        var n = 1;
        for (var i = 1; i < stack.Count; i++)
            if (!stack[i].IsSelfIssued) n++;
        return n;
    }

    private static bool Contains(List<ParsedCertificate> stack, ParsedCertificate c)
    {
        foreach (var s in stack)
            if (s.Fingerprint.AsSpan().SequenceEqual(c.Fingerprint)) return true;
        return false;
    }

    private void Record(int depth, TlsException e)
    {
        if (depth < _bestDepth) return;
        _bestDepth = depth;
        _best = e;
    }
}
