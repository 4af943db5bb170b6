using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;

namespace Tessera.Cli.Output;

/// <summary>
/// What this `tessera` is running on: its version, whether it is the Native AOT build or runs under the JIT, and where
/// its cryptographic primitives come from. `connect --json` records it, so a timing can be read knowing what made it.
/// </summary>
internal static class ToolBuild
{
    /// <summary>
    /// False in the Native AOT build: nothing is compiled while it runs. (Not RuntimeFeature.IsDynamicCodeCompiled: with
    /// PublishAot in the project, the SDK switches that off under the JIT too, so that debugging behaves like AOT.)
    /// </summary>
    public static bool IsJit => System.Runtime.JitInfo.GetCompiledMethodCount() > 0;

    public static string Build => IsJit ? "jit" : "native-aot";

    public static string Version =>
        typeof(ToolBuild).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static string Framework => RuntimeInformation.FrameworkDescription;

    public static string RuntimeIdentifier => RuntimeInformation.RuntimeIdentifier;

    /// <summary>
    /// The primitives today: System.Security.Cryptography (OpenSSL's libcrypto on Linux) for AEAD, hashes, ECDH P-256/P-384,
    /// ECDSA and RSA; BouncyCastle for X25519 and Ed25519. (The native provider, when it lands, will name itself here.)
    /// </summary>
    public static string Provider => "portable";

    public static string Primitives
    {
        get
        {
            // BouncyCastle keeps its assembly version at 2.0.0.0; the informational version is the package's.
            var bouncy = typeof(X25519PrivateKeyParameters).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            var plus = bouncy?.IndexOf('+') ?? -1;
            if (plus > 0) bouncy = bouncy![..plus];
            return $"System.Security.Cryptography ({PlatformCrypto}), BouncyCastle {bouncy ?? "unknown"} (X25519, Ed25519)";
        }
    }

    /// <summary>Why the first connection's timings are longer than the next ones', in words for the report.</summary>
    public static string FirstUseCosts => IsJit
        ? "JIT compilation of the handshake code and one-time initialisation (this is not the Native AOT build)"
        : "one-time initialisation: loading OpenSSL and its configuration, and static tables";

    private static string PlatformCrypto
    {
        get
        {
            if (!OperatingSystem.IsLinux()) return RuntimeInformation.OSDescription;
            // OPENSSL_VERSION_NUMBER layout: 0xMNN00PP0 (major, minor, patch).
            var v = SafeEvpPKeyHandle.OpenSslVersion;
            return $"OpenSSL {(v >> 28) & 0xF}.{(v >> 20) & 0xFF}.{(v >> 4) & 0xFF} libcrypto";
        }
    }
}
