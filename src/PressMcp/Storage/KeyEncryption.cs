using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace PressMcp.Storage;

/// <summary>
/// Configuration section <c>DataProtection</c>: the certificate (a PKCS#12 file and its password) or the key file that
/// encrypts the Data Protection keys before they are stored in the database (<see cref="DatabaseXmlRepository"/>).
/// </summary>
internal sealed class DataProtectionKeyOptions : IPressOptions
{
    public static string Section => "DataProtection";

    /// <summary>A .pfx/.p12 file holding a certificate and its private key; relative to the current directory.</summary>
    public string? CertificatePath { get; set; }
    public string? CertificatePassword { get; set; }

    /// <summary>A file holding a random secret of at least 32 bytes, base64-encoded (<see cref="KeyFileCipher"/>); relative to the current directory.</summary>
    public string? KeyFilePath { get; set; }

    public IEnumerable<string?> Problems() => [];
}

/// <summary>A Data Protection setting that makes the server refuse to start, with the sentence that says why.</summary>
internal sealed class KeyEncryptionException(string message) : Exception(message);

/// <summary>
/// How the Data Protection keys are protected at rest.</summary>
internal enum KeyProtection
{
    None,
    Certificate,
    KeyFile,
}

/// <summary>
/// Encrypts the Data Protection keys at rest when a certificate or a key file is configured. The keys sign the sign-in cookies and
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

    /// <summary>Configures the encryption the configuration asks for. Throws <see cref="KeyEncryptionException"/> on a bad setting.</summary>
    public static KeyProtection Configure(IDataProtectionBuilder dataProtection, IConfiguration configuration)
    {
        var options = configuration.GetSection(DataProtectionKeyOptions.Section).Get<DataProtectionKeyOptions>() ?? new();
        var certificate = !string.IsNullOrWhiteSpace(options.CertificatePath);
        var keyFile = !string.IsNullOrWhiteSpace(options.KeyFilePath);
        if (certificate && keyFile)
            throw new KeyEncryptionException("DataProtection:CertificatePath and DataProtection:KeyFilePath are both set; set one of them");
        if (certificate)
        {
            dataProtection.ProtectKeysWithCertificate(Load(options.CertificatePath!, options.CertificatePassword));
            return KeyProtection.Certificate;
        }
        if (keyFile)
        {
            var cipher = KeyFileCipher.Load(options.KeyFilePath!);
            // The decryptor is created by Data Protection from the type name stored with each key, and finds the cipher here.
            dataProtection.Services.AddSingleton(cipher);
            dataProtection.Services.Configure<KeyManagementOptions>(o => o.XmlEncryptor = new KeyFileXmlEncryptor(cipher));
            return KeyProtection.KeyFile;
        }
        return KeyProtection.None;
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

    public static void LogState(ILogger logger, KeyProtection protection)
    {
        if (protection == KeyProtection.None) LogUnencrypted(logger, Docs);
        else LogEncrypted(logger, protection == KeyProtection.Certificate ? "certificate" : "key file");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Data Protection keys are encrypted with the configured {Means} before they are stored")]
    private static partial void LogEncrypted(ILogger logger, string means);

    [LoggerMessage(Level = LogLevel.Information, Message = "Data Protection keys (they sign sign-in cookies) are stored unencrypted in the database; set DataProtection:CertificatePath or DataProtection:KeyFilePath to encrypt them ({Docs})")]
    private static partial void LogUnencrypted(ILogger logger, string docs);
}
