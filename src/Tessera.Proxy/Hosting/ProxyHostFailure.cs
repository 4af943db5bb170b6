namespace Tessera.Proxy.Hosting;

/// <summary>What kind of thing stopped a <see cref="ProxyHost"/> from starting or reloading (a tool maps these to its exit codes).</summary>
public enum ProxyHostFailure
{
    /// <summary>The configuration is wrong: a misspelt or missing setting, a value out of range, settings that exclude each other.</summary>
    Configuration,
    /// <summary>A file it names cannot be read or used: missing, unreadable, not PEM, a key that is not its certificate's.</summary>
    File,
    /// <summary>A listener cannot listen where it was told to (the address is in use, not on this machine, or needs privileges).</summary>
    Listen,
}
