using System.Formats.Asn1;

namespace Tessera.Scan;

/// <summary>
/// What a stapled OCSP response says, read without judging it (RFC 6960 §4.2.1): the response status, and the first
/// SingleResponse's certStatus, thisUpdate and nextUpdate. Whether it is signed by the right responder for the right
/// certificate is the verifier's question, asked separately with the same bytes.
/// </summary>
/// <param name="Status">"good", "revoked" or "unknown", or the response status when it is not successful.</param>
/// <param name="ThisUpdate">When the responder vouched for the status.</param>
/// <param name="NextUpdate">When newer information will be available (the staple's expiry); null when the responder gave none.</param>
public sealed record StapleFacts(string Status, DateTimeOffset? ThisUpdate, DateTimeOffset? NextUpdate)
{
    /// <summary>Reads a DER OCSPResponse; what cannot be read is said in <see cref="Status"/>.</summary>
    public static StapleFacts Read(byte[] response)
    {
        try
        {
            var outer = new AsnReader(response, AsnEncodingRules.DER).ReadSequence();
            var status = outer.ReadEnumeratedValue<OcspResponseStatus>();
            if (status != OcspResponseStatus.Successful) return new StapleFacts($"response status {status}", null, null);
            var bytes = outer.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)).ReadSequence();
            bytes.ReadObjectIdentifier();
            var basic = new AsnReader(bytes.ReadOctetString(), AsnEncodingRules.DER).ReadSequence();
            var data = basic.ReadSequence();
            if (data.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0, true))) data.ReadEncodedValue();   // version
            data.ReadEncodedValue();                                                                                        // responderID
            data.ReadGeneralizedTime();                                                                                     // producedAt
            var single = data.ReadSequence().ReadSequence();
            single.ReadSequence();                                                                                          // certID
            var certStatus = single.PeekTag();
            single.ReadEncodedValue();
            var text = certStatus.TagClass == TagClass.ContextSpecific
                ? certStatus.TagValue switch { 0 => "good", 1 => "revoked", _ => "unknown" }
                : "unreadable";
            var thisUpdate = single.ReadGeneralizedTime();
            DateTimeOffset? nextUpdate = null;
            if (single.HasData && single.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
                nextUpdate = single.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)).ReadGeneralizedTime();
            return new StapleFacts(text, thisUpdate, nextUpdate);
        }
        catch (AsnContentException e)
        {
            return new StapleFacts($"malformed ({e.Message})", null, null);
        }
    }

    private enum OcspResponseStatus { Successful = 0, MalformedRequest = 1, InternalError = 2, TryLater = 3, SigRequired = 5, Unauthorized = 6 }
}
