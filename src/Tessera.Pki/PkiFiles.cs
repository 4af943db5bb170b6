namespace Tessera.Pki;

/// <summary>
/// How the CA writes its files: never over an existing file unless asked, private keys owner-only from the moment they
/// exist, and atomically — the content goes to a temporary file in the same directory, which then replaces the target
/// in one rename, so a reader (or a crash) never sees half a key or half a certificate.
/// </summary>
public static class PkiFiles
{
    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>, creating its directory.</summary>
    /// <param name="path">The file.</param>
    /// <param name="content">Its whole content.</param>
    /// <param name="force">Whether an existing file may be replaced.</param>
    /// <param name="secret">A private key: readable and writable by the owner only (on Unix).</param>
    /// <exception cref="PkiException">The file exists and <paramref name="force"/> is false, or it cannot be written.</exception>
    public static void Write(string path, string content, bool force, bool secret = false)
    {
        if (File.Exists(path) && !force) throw new PkiException(PkiFailure.Files, $"{path} exists; use --force to overwrite it");
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(directory);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (secret && !OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(temporary, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(content);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The temporary exists only if it was created; its directory may not (File.Delete would throw then).
            if (File.Exists(temporary)) File.Delete(temporary);
            throw new PkiException(PkiFailure.Files, $"cannot write {path}: {e.Message}", e);
        }
    }
}
