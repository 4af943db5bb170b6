using System.Runtime.InteropServices;

namespace Tessera.Crypto.Native;

/// <summary>An owned <c>EVP_MD_CTX*</c>: freed on dispose, or by the finalizer if a transcript is dropped undisposed.</summary>
internal sealed class DigestContextHandle : SafeHandle
{
    private DigestContextHandle(nint context) : base(0, ownsHandle: true) => SetHandle(context);

    public static DigestContextHandle New() =>
        LibCrypto.EVP_MD_CTX_new() is var context and not 0 ? new DigestContextHandle(context) : throw LibCrypto.Fail("EVP_MD_CTX_new");

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        LibCrypto.EVP_MD_CTX_free(handle);
        return true;
    }
}
