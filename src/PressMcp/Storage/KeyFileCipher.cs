using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace PressMcp.Storage;

/// <summary>
/// Encrypts Data Protection keys with a secret read from a file (<c>DataProtection:KeyFilePath</c>), for those who
/// would rather keep one random secret than a certificate. AES-256-GCM under a key derived from the file's secret with
/// HKDF-SHA256; each key gets its own random nonce, and the tag makes a changed or foreign ciphertext fail instead of
/// decrypting to garbage. The framework has no symmetric-key encryptor of its own on Linux, hence this class.
/// </summary>
internal sealed class KeyFileCipher
{
    private const string Setting = "DataProtection:KeyFilePath";
    private const int MinimumSecretBytes = 32;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    // Ties each ciphertext to this use of the secret, should the same file ever serve another purpose.
    private static readonly byte[] Purpose = Encoding.ASCII.GetBytes("PressMcp Data Protection key encryption v1");

    private readonly byte[] _key;

    private KeyFileCipher(byte[] key)
    {
        _key = key;
        // A short public fingerprint of the derived key, stored with each encrypted key so a wrong file is named as such.
        KeyId = Convert.ToHexStringLower(SHA256.HashData(key).AsSpan(0, 8));
    }

    public string KeyId { get; }

    /// <summary>Reads the key file, or throws <see cref="KeyEncryptionException"/> naming the setting, the file and what is wrong.</summary>
    public static KeyFileCipher Load(string configuredPath)
    {
        var path = Path.GetFullPath(configuredPath);
        if (!File.Exists(path)) throw new KeyEncryptionException($"{Setting}: '{path}' not found");
        if (!OperatingSystem.IsWindows()
            && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            throw new KeyEncryptionException($"{Setting}: '{path}' may be read or written by other users; make it private (chmod 600)");
        // A key file is one line of base64; anything much longer is not one.
        if (new FileInfo(path).Length > 4096) throw new KeyEncryptionException($"{Setting}: '{path}' is larger than 4 KB; expected one line of base64");
        byte[] secret;
        try
        {
            secret = Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
        catch (FormatException)
        {
            throw new KeyEncryptionException($"{Setting}: '{path}' is not base64 (create it with: openssl rand -base64 32)");
        }
        if (secret.Length < MinimumSecretBytes)
            throw new KeyEncryptionException($"{Setting}: '{path}' holds {secret.Length} bytes; at least {MinimumSecretBytes} random bytes are needed (openssl rand -base64 32)");
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, salt: [], info: Purpose);
        CryptographicOperations.ZeroMemory(secret);
        return new KeyFileCipher(key);
    }

    public XElement Encrypt(XElement plaintext)
    {
        var clear = Encoding.UTF8.GetBytes(plaintext.ToString(SaveOptions.DisableFormatting));
        var sealedBytes = new byte[NonceBytes + clear.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(_key, TagBytes))
            aes.Encrypt(nonce, clear, sealedBytes.AsSpan(NonceBytes, clear.Length), sealedBytes.AsSpan(NonceBytes + clear.Length), Purpose);
        CryptographicOperations.ZeroMemory(clear);
        return new XElement(ElementName,
            new XAttribute("keyId", KeyId),
            new XComment(" Encrypted with the key file of DataProtection:KeyFilePath (AES-256-GCM). "),
            new XElement("ciphertext", Convert.ToBase64String(sealedBytes)));
    }

    public XElement Decrypt(XElement encrypted)
    {
        var keyId = (string?)encrypted.Attribute("keyId");
        if (!string.Equals(keyId, KeyId, StringComparison.Ordinal))
            throw new CryptographicException($"this Data Protection key was encrypted with another key file (key id {keyId}; {Setting} has {KeyId})");
        var sealedBytes = Convert.FromBase64String((string?)encrypted.Element("ciphertext") ?? throw new CryptographicException("the encrypted key has no ciphertext"));
        if (sealedBytes.Length < NonceBytes + TagBytes) throw new CryptographicException("the encrypted key is truncated");
        var clear = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        using (var aes = new AesGcm(_key, TagBytes))
            aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, clear.Length), sealedBytes.AsSpan(NonceBytes + clear.Length), clear, Purpose);
        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(clear));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(clear);
        }
    }

    public static readonly XName ElementName = XName.Get("encryptedKey", "urn:pressmcp:data-protection:key-file");
}

/// <summary>Data Protection's hook for encrypting a new key: hands it to <see cref="KeyFileCipher"/>.</summary>
internal sealed class KeyFileXmlEncryptor(KeyFileCipher cipher) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement) => new(cipher.Encrypt(plaintextElement), typeof(KeyFileXmlDecryptor));
}

/// <summary>
/// Data Protection's hook for reading a stored key. The framework creates it from the type name stored with the key,
/// through a constructor taking <see cref="IServiceProvider"/> (its only way to reach services), so the cipher is looked
/// up here rather than injected.
/// </summary>
internal sealed class KeyFileXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) =>
        (services.GetService<KeyFileCipher>()
         ?? throw new CryptographicException("this Data Protection key was encrypted with a key file, and DataProtection:KeyFilePath is not set"))
        .Decrypt(encryptedElement);
}
