using System.Formats.Asn1;

namespace Tessera.Certificates;

internal enum GeneralNameKind { Other, Email, Dns, DirectoryName, Uri, Ip }

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
            default:
                reader.ReadEncodedValue();
                return new(GeneralNameKind.Other, null, null);
        }
    }
}
