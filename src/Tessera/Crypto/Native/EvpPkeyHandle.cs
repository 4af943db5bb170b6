using System.Runtime.InteropServices;

namespace Tessera.Crypto.Native;

/// <summary>An owned <c>EVP_PKEY*</c>: freed on dispose, or by the finalizer if a key exchange is dropped undisposed.</summary>
internal sealed class EvpPkeyHandle : SafeHandle
{
    public EvpPkeyHandle(nint key) : base(0, ownsHandle: true) => SetHandle(key);

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        LibCrypto.EVP_PKEY_free(handle);
        return true;
    }
}
