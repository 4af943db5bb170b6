namespace Tessera.Acme;

/// <summary>
/// Where ACME state is kept: accounts per directory and certificates (with their keys) per directory and first name.
/// <see cref="AcmeFileStore"/> is the default; a fleet can keep it elsewhere (a shared store, so one instance's renewal
/// serves all). Implementations keep a certificate and its key together, so no reader pairs a new one with an old one.
/// </summary>
public interface IAcmeStore
{
    /// <summary>The account stored for <paramref name="directory"/>, or null.</summary>
    StoredAccount? LoadAccount(Uri directory);

    /// <summary>Stores the account for <paramref name="directory"/>, replacing one stored before.</summary>
    void SaveAccount(Uri directory, StoredAccount account);

    /// <summary>The certificate stored under <paramref name="name"/> for <paramref name="directory"/>, or null.</summary>
    StoredCertificate? LoadCertificate(Uri directory, string name);

    /// <summary>The certificates stored for <paramref name="directory"/>.</summary>
    IReadOnlyList<StoredCertificate> ListCertificates(Uri directory);

    /// <summary>Stores a certificate with its key under its first name, replacing the one stored before as one unit.</summary>
    void SaveCertificate(Uri directory, StoredCertificate certificate);
}
