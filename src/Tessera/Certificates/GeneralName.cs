using System.Formats.Asn1;

namespace Tessera.Certificates;

/// <summary>The RFC 5280 §4.2.1.6 GeneralName choices; Other is otherName (Text = type-id, Bytes = the value's DER).</summary>
internal enum GeneralNameKind { Other, Email, Dns, DirectoryName, Uri, Ip, X400, EdiParty, RegisteredId }

/// <summary>One RFC 5280 §4.2.1.6 GeneralName, reduced to the forms Tessera matches on.</summary>
internal sealed record GeneralName(GeneralNameKind Kind, string? Text, byte[]? Bytes)
{
    public static GeneralName Read(AsnReader reader)
    {
        var tag = reader.PeekTag();
        if (tag.TagClass != TagClass.ContextSpecific) throw new AsnContentException("GeneralName is not context-tagged");
        switch (tag.TagValue)
        {
            case 1: return new(GeneralNameKind.Email, reader.ReadCharacterString(UniversalTagNumber.IA5String, tag), null);
            case 2: return new(GeneralNameKind.Dns, reader.ReadCharacterString(UniversalTagNumber.IA5String, tag), null);
            case 4:
            {
                var explicitName = reader.ReadSequence(tag);
                var name = explicitName.ReadEncodedValue().ToArray();
                explicitName.ThrowIfNotEmpty();
                return new(GeneralNameKind.DirectoryName, null, name);
            }
            case 6: return new(GeneralNameKind.Uri, reader.ReadCharacterString(UniversalTagNumber.IA5String, tag), null);
            case 7:
            {
                var bytes = reader.ReadOctetString(tag);
                return new(GeneralNameKind.Ip, null, bytes);
            }
            case 0:
            {
                // otherName ::= [0] IMPLICIT SEQUENCE { type-id OID, value [0] EXPLICIT ANY }; kept as (type-id, value DER).
                var other = reader.ReadSequence(tag);
                var typeId = other.ReadObjectIdentifier();
                var value = other.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
                var inner = value.ReadEncodedValue().ToArray();
                value.ThrowIfNotEmpty();
                other.ThrowIfNotEmpty();
                return new(GeneralNameKind.Other, typeId, inner);
            }
            case 3 or 5:
                // x400Address and ediPartyName: constructed forms Tessera reads past but never matches.
                if (!tag.IsConstructed) throw new AsnContentException($"GeneralName [{tag.TagValue}] must be constructed");
                reader.ReadEncodedValue();
                return new(tag.TagValue == 3 ? GeneralNameKind.X400 : GeneralNameKind.EdiParty, null, null);
            case 8: return new(GeneralNameKind.RegisteredId, reader.ReadObjectIdentifier(tag), null);
            default:
                throw new AsnContentException($"GeneralName has an unknown tag [{tag.TagValue}]");
        }
    }
}
