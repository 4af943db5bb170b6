using System.Runtime.InteropServices;

namespace Tessera.Crypto.Native;

/// <summary>OpenSSL 3's <c>OSSL_PARAM</c> (key, data_type, data, data_size, return_size), for the few parameters set once at start.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct OsslParam
{
    /// <summary>OSSL_PARAM_UTF8_STRING.</summary>
    public const uint Utf8String = 4;

    public nint Key;
    public uint DataType;
    public nint Data;
    public nuint DataSize;
    public nuint ReturnSize;

    /// <summary>A UTF-8 string parameter; the strings are allocated once and live as long as the process (they are few and fixed).</summary>
    public static OsslParam Utf8(string key, string value) => new()
    {
        Key = Marshal.StringToCoTaskMemUTF8(key),
        DataType = Utf8String,
        Data = Marshal.StringToCoTaskMemUTF8(value),
        DataSize = (nuint)System.Text.Encoding.UTF8.GetByteCount(value),
        ReturnSize = nuint.MaxValue,   // OSSL_PARAM_UNMODIFIED
    };
}
