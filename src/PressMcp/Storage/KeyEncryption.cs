using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace PressMcp.Storage;

/// <summary>
/// Configuration section <c>DataProtection</c>: the certificate (a PKCS#12 file and its password) that encrypts the
/// Data Protection keys before they are stored in the database (<see cref="DatabaseXmlRepository"/>).
/// </summary>
internal sealed class DataProtectionKeyOptions : IPressOptions
{
    public static string Section => "DataProtection";

    /// <summary>A .pfx/.p12 file holding a certificate and its private key; relative to the current directory.</summary>
    public string? CertificatePath { get; set; }
    public string? CertificatePassword { get; set; }

    public IEnumerable<string?> Problems() => [];
}

/// <summary>A Data Protection setting that makes the server refuse to start, with the sentence that says why.</summary>
internal sealed class KeyEncryptionException(string message) : Exception(message);

/// <summary>
/// Encrypts the Data Protection keys at rest when a certificate is configured. The keys sign the sign-in cookies and
/// antiforgery tokens: whoever reads them from the database can forge a sign-in. Without a certificate they are stored
/// as they are (the database is then the secret to guard), and the server says so in one line instead of the
/// framework's warning about "unencrypted form" at every new key. Every instance must be given the same certificate;
/// keys written before it was configured stay readable.
/// </summary>
internal static partial class KeyEncryption
{
    private const string Docs = "docs/deployment.md, Data Protection keys";

    /// <summary>The category of the framework's warning this class replaces.</summary>
    public const string FrameworkWarningCategory = "Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager";

    /// <summary>Configures the encryption; false when no certificate is configured. Throws <see cref="KeyEncryptionException"/> on a bad one.</summary>
    public static bool Configure(IDataProtectionBuilder dataProtection, IConfiguration configuration)
    {
        var options = configuration.GetSection(DataProtectionKeyOptions.Section).Get<DataProtectionKeyOptions>() ?? new();
        if (string.IsNullOrWhiteSpace(options.CertificatePath)) return false;
        dataProtection.ProtectKeysWithCertificate(Load(options.CertificatePath, options.CertificatePassword));
        return true;
    }

    /// <summary>The certificate with its private key, or an exception naming the key, the file and what is wrong.</summary>
    public static X509Certificate2 Load(string configuredPath, string? password)
    {
        const string key = "DataProtection:CertificatePath";
        var path = Path.GetFullPath(configuredPath);
        if (!File.Exists(path)) throw new KeyEncryptionException($"{key}: '{path}' not found");
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException)
        {
            throw new KeyEncryptionException($"{key}: '{path}' cannot be opened with DataProtection:CertificatePassword (expected a PKCS#12 .pfx file and its password)");
        }
        // Encrypting needs only the public key; without the private one no key could be read back after a restart.
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new KeyEncryptionException($"{key}: '{path}' holds no private key");
        }
        return certificate;
    }

    public static void LogState(ILogger logger, bool encrypted)
    {
        if (encrypted) LogEncrypted(logger);
        else LogUnencrypted(logger, Docs);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Data Protection keys are encrypted with the configured certificate before they are stored")]
    private static partial void LogEncrypted(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Data Protection keys (they sign sign-in cookies) are stored unencrypted in the database; set DataProtection:CertificatePath to encrypt them ({Docs})")]
    private static partial void LogUnencrypted(ILogger logger, string docs);
}
