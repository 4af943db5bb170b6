using System.Runtime.InteropServices;

namespace Tessera.Crypto.Native;

/// <summary>
/// An owned <c>EVP_CIPHER_CTX*</c>: freed on dispose, or by the finalizer if a record key is dropped undisposed
/// (EVP_CIPHER_CTX_free cleanses the expanded key before it frees it).
/// </summary>
internal sealed class CipherContextHandle : SafeHandle
{
    public CipherContextHandle(nint context) : base(0, ownsHandle: true) => SetHandle(context);

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        LibCrypto.EVP_CIPHER_CTX_free(handle);
        return true;
    }
}
