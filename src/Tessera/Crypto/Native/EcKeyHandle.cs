using System.Runtime.InteropServices;

namespace Tessera.Crypto.Native;

/// <summary>An owned <c>EC_KEY*</c>: freed (its private scalar cleared) on dispose, or by the finalizer if dropped undisposed.</summary>
internal sealed class EcKeyHandle : SafeHandle
{
    public EcKeyHandle(nint key) : base(0, ownsHandle: true) => SetHandle(key);

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        LibCrypto.EC_KEY_free(handle);   // EC_KEY_free clears the private scalar (BN_clear_free)
        return true;
    }
}
