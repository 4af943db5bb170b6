using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Tessera.Acme.Tests;

/// <summary>The JOSE pieces against their RFCs' examples: the JWK thumbprint (RFC 7638 §3.1) and an ES256 JWS (RFC 7515 §A.3's key).</summary>
public sealed class JoseTests
{
    [Fact]
    public void The_Rfc7638_Example_Key_Has_The_Rfc7638_Thumbprint()
    {
        const string n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
        using var key = AcmeAccountKey.FromRsaParameters(new RSAParameters { Modulus = Base64Url.Decode(n), Exponent = Base64Url.Decode("AQAB") });
        Assert.Equal("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", key.Thumbprint());
        Assert.Equal("RS256", key.Algorithm);
    }

    [Fact]
    public void An_Es256_Jws_Carries_The_Acme_Header_And_Verifies_With_The_Key()
    {
        // RFC 7515 §A.3.1's P-256 key.
        using var key = AcmeAccountKey.FromEcParameters(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.Decode("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"), Y = Base64Url.Decode("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0") },
            D = Base64Url.Decode("jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"),
        });
        var jws = Jws.Sign(key, kid: null, nonce: "bm9uY2U", new Uri("https://ca.test/acme/new-account"), "{}"u8.ToArray());

        using var header = JsonDocument.Parse(Base64Url.Decode(jws.Protected));
        var h = header.RootElement;
        Assert.Equal("ES256", h.GetProperty("alg").GetString());
        Assert.Equal("bm9uY2U", h.GetProperty("nonce").GetString());
        Assert.Equal("https://ca.test/acme/new-account", h.GetProperty("url").GetString());
        Assert.Equal("""{"crv":"P-256","kty":"EC","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}""",
            h.GetProperty("jwk").GetRawText());
        Assert.False(h.TryGetProperty("kid", out _));
        Assert.Equal("e30", jws.Payload);

        var signature = Base64Url.Decode(jws.Signature);
        Assert.Equal(64, signature.Length);   // r‖s, 32 bytes each (RFC 7518 §3.4), not DER
        using var verifier = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = Base64Url.Decode("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"), Y = Base64Url.Decode("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0") } });
        Assert.True(verifier.VerifyData(Encoding.ASCII.GetBytes(jws.Protected + "." + jws.Payload), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Fact]
    public void The_Rfc8037_Ed25519_Key_Has_Its_Thumbprint_And_Signs_Its_Example_Exactly()
    {
        // RFC 8037 §A.1 (the key), §A.3 (its thumbprint), §A.4 (an EdDSA JWS: Ed25519 signs deterministically).
        using var key = AcmeAccountKey.FromEd25519Seed(Base64Url.Decode("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"));
        Assert.Equal("EdDSA", key.Algorithm);
        Assert.Equal("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k", key.Thumbprint());
        var signature = key.Sign(Encoding.ASCII.GetBytes("eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"));
        Assert.Equal("hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg", Base64Url.Encode(signature));
        using var again = AcmeAccountKey.FromPem(key.ExportPem());
        Assert.Equal(key.Thumbprint(), again.Thumbprint());
    }

    [Fact]
    public void A_Post_As_Get_Has_An_Empty_Payload_And_A_Kid_Instead_Of_A_Jwk()
    {
        using var key = AcmeAccountKey.CreateEs256();
        var jws = Jws.Sign(key, new Uri("https://ca.test/acct/1"), "n", new Uri("https://ca.test/order/1"), payload: null);
        Assert.Equal("", jws.Payload);
        using var header = JsonDocument.Parse(Base64Url.Decode(jws.Protected));
        Assert.Equal("https://ca.test/acct/1", header.RootElement.GetProperty("kid").GetString());
        Assert.False(header.RootElement.TryGetProperty("jwk", out _));
    }
}
