using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Tessera.Acme.Tests.Support;
using Tessera.Certificates;
using Tessera.Pki;
using Xunit;

namespace Tessera.Acme.Tests;

/// <summary>tls-alpn-01 (RFC 8737): the validation certificate's extension byte for byte, and a certificate issued by Pebble through Tessera's own acme-tls/1 responder.</summary>
public sealed class TlsAlpn01Tests : IClassFixture<PebbleFixture>
{
    private readonly Pebble _pebble;

    public TlsAlpn01Tests(PebbleFixture fixture) => _pebble = fixture.Pebble;

    [Fact]
    public void The_Validation_Certificate_Carries_The_Critical_AcmeIdentifier_Extension_As_Rfc8737_Section_3_Encodes_It()
    {
        const string keyAuthorization = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";
        var digest = SHA256.HashData(Encoding.ASCII.GetBytes(keyAuthorization));
        // Extension ::= SEQUENCE { extnID 1.3.6.1.5.5.7.1.31, critical TRUE, extnValue OCTET STRING { OCTET STRING (32) } }
        byte[] expected = [0x30, 0x31, 0x06, 0x08, 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x1F, 0x01, 0x01, 0xFF, 0x04, 0x22, 0x04, 0x20, .. digest];

        using var credential = TlsAlpn01Certificate.Create("alpn.test.example", keyAuthorization, DateTimeOffset.UtcNow);
        var certificate = credential.Leaf;
        var extension = certificate.Extensions[TlsAlpn01Certificate.AcmeIdentifierOid];
        Assert.NotNull(extension);
        Assert.True(extension.Critical);
        Assert.Equal(expected, EncodedExtension(certificate.RawData, TlsAlpn01Certificate.AcmeIdentifierOid));
        var san = Assert.Single(certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Equal(["alpn.test.example"], san.EnumerateDnsNames());
    }

    [Theory]
    [InlineData("192.0.2.7", "7.2.0.192.in-addr.arpa")]
    [InlineData("2001:db8::1", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa")]
    [InlineData("Alpn.Test.Example", "alpn.test.example")]
    public void The_Sni_Of_An_Ip_Identifier_Is_Its_Reverse_Name(string identifier, string serverName) =>
        Assert.Equal(serverName, TlsAlpn01Certificate.ServerNameFor(identifier));

    [Fact]
    public async Task A_Tls_Alpn_01_Certificate_Is_Issued_By_Pebble_Through_Tesseras_Responder()
    {
        using var key = AcmeAccountKey.CreateEs256();
        using var client = new AcmeClient(_pebble.Directory, key, new AcmeClientOptions { Trust = _pebble.Trust });
        await client.CreateAccountAsync([], agreeToTerms: true).WaitAsync(TimeSpan.FromMinutes(2));
        await using var responder = new TlsAlpn01Responder(_pebble.TlsPort);
        using var certificateKey = CaKey.Create(KeyType.EcdsaP384);
        var issued = await client.IssueAsync(["alpn.test.example"], responder, certificateKey).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(["alpn.test.example"], Assert.Single(issued.Leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>()).EnumerateDnsNames());
        Assert.Equal("1.2.840.10045.2.1", issued.Leaf.PublicKey.Oid.Value);   // the P-384 key the CSR was signed with
        await IssuedChecks.VerifyUnderPebblesRootAsync(_pebble, issued, "alpn.test.example");
    }

    /// <summary>The DER of the extension with <paramref name="oid"/> exactly as it stands in the certificate.</summary>
    private static byte[] EncodedExtension(byte[] certificate, string oid)
    {
        var tbs = new AsnReader(certificate, AsnEncodingRules.DER).ReadSequence().ReadSequence();
        while (tbs.HasData)
        {
            var tag = tbs.PeekTag();
            if (tag.TagClass == TagClass.ContextSpecific && tag.TagValue == 3)
            {
                var extensions = tbs.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 3)).ReadSequence();
                while (extensions.HasData)
                {
                    var encoded = extensions.ReadEncodedValue().ToArray();
                    if (new AsnReader(encoded, AsnEncodingRules.DER).ReadSequence().ReadObjectIdentifier() == oid) return encoded;
                }
            }
            else tbs.ReadEncodedValue();
        }
        throw new InvalidOperationException($"no extension {oid}");
    }
}
