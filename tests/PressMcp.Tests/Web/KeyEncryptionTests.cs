using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;

namespace PressMcp.Tests.Web;

/// <summary>
/// Data Protection keys at rest: with a certificate configured the key rows hold only encrypted key material, and a
/// sign-in cookie issued before a restart still works after it; a missing certificate or a wrong password stops the
/// server with a line naming the setting.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class KeyEncryptionTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private const string PfxPassword = "pfx secret";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "pressmcp-tests", "keys-" + Guid.NewGuid().ToString("N"));
    private string _pfx = "";

    public ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=PressMcp test keys", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        _pfx = Path.Combine(_directory, "keys.pfx");
        File.WriteAllBytes(_pfx, certificate.Export(X509ContentType.Pfx, PfxPassword));
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    private IConfiguration Certificate(string path, string password) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["DataProtection:CertificatePath"] = path,
        ["DataProtection:CertificatePassword"] = password,
    }).Build();

    [Fact]
    public Task Keys_WithACertificate_AreStoredEncrypted_AndSignInsSurviveARestart() =>
        // The framework writes the master key in <masterKey><value>BASE64</value>; encrypted, it is an EncryptedData element instead.
        AssertKeysEncrypted_SignInSurvivesARestart_ButNotWithout(Certificate(_pfx, PfxPassword), KeyProtection.Certificate, "EncryptedData",
            without: null);

    /// <summary>
    /// Signs alice in under <paramref name="configuration"/>; every stored key row holds <paramref name="marker"/> and no
    /// clear key; the cookie still signs in on a restart with the same configuration, and no longer under <paramref name="without"/>.
    /// </summary>
    private static async Task AssertKeysEncrypted_SignInSurvivesARestart_ButNotWithout(IConfiguration configuration, KeyProtection protection, string marker, IConfiguration? without)
    {
        await using var store = await TestStore.CreateAsync(postgres: false);
        var cookies = new CookieContainer();
        await using (var first = await TestServer.StartAsync(store, configuration: configuration))
        {
            Assert.Equal(protection, first.Services.GetRequiredService<PressMcp.Web.KeyEncryptionState>().Protection);
            await first.CreateUserAsync("alice", Password);
            var alice = first.CreateClient(cookies);
            var signIn = await TestServer.PostFormAsync(alice, "/login", new() { ["Login"] = "alice", ["Password"] = Password });
            Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("/account")).StatusCode);

            await using var scope = first.Services.CreateAsyncScope();
            var rows = await scope.ServiceProvider.GetRequiredService<PressDbContext>().DataProtectionKeys.Select(k => k.Xml).ToListAsync();
            Assert.NotEmpty(rows);
            foreach (var xml in rows)
            {
                Assert.Contains(marker, xml, StringComparison.Ordinal);
                Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
            }
        }

        // Another port on the same host: the browser sends the same cookie (cookies ignore ports).
        await using (var second = await TestServer.StartAsync(store, configuration: configuration))
            Assert.Equal(HttpStatusCode.OK, (await second.CreateClient(cookies).GetAsync("/account")).StatusCode);
        // Without the certificate or key file the stored keys cannot be read: the same cookie no longer signs in.
        await using var third = await TestServer.StartAsync(store, configuration: without);
        Assert.Equal(HttpStatusCode.Redirect, (await third.CreateClient(cookies).GetAsync("/account")).StatusCode);
    }

    private string WriteKeyFile(string name, int bytes, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)) + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, mode);
        return path;
    }

    private static IConfiguration KeyFile(string path) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["DataProtection:KeyFilePath"] = path,
    }).Build();

    [Fact]
    public Task Keys_WithAKeyFile_AreStoredEncrypted_AndSignInsSurviveARestart_ButNotAnotherKeyFile() =>
        // Another secret cannot read the stored keys: the key id differs, and the GCM tag would refuse it anyway.
        AssertKeysEncrypted_SignInSurvivesARestart_ButNotWithout(KeyFile(WriteKeyFile("keys.key", 32)), KeyProtection.KeyFile,
            "urn:pressmcp:data-protection:key-file", without: KeyFile(WriteKeyFile("other.key", 32)));

    [Theory]
    [InlineData("short", "holds 16 bytes; at least 32 random bytes are needed (openssl rand -base64 32)")]
    [InlineData("readable", "may be read or written by other users; make it private (chmod 600)")]
    [InlineData("both", "")]
    public async Task Serve_WithABadKeyFile_RefusesToStartNamingIt(string problem, string expected)
    {
        var path = problem switch
        {
            "short" => WriteKeyFile("short.key", 16),
            "readable" => WriteKeyFile("open.key", 32, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead),
            _ => WriteKeyFile("fine.key", 32),
        };
        string[] extra = problem == "both" ? ["--option", $"DataProtection:CertificatePath={_pfx}"] : [];
        var r = await CliRunner.RunRawAsync(["serve", "--data", Path.Combine(_directory, "data"), "--urls", "http://127.0.0.1:0", "--log-level", "warning",
            "--option", $"DataProtection:KeyFilePath={path}", .. extra]);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal(problem == "both"
                ? "error: cannot start: DataProtection:CertificatePath and DataProtection:KeyFilePath are both set; set one of them"
                : $"error: cannot start: DataProtection:KeyFilePath: '{path}' {expected}",
            r.Error.Trim());
    }

    [Fact]
    public async Task Keys_WithoutACertificate_AreStoredAsTheyAre()
    {
        await using var store = await TestStore.CreateAsync(postgres: false);
        await using var server = await TestServer.StartAsync(store);
        await server.CreateUserAsync("alice", Password);
        await server.SignedInClientAsync("alice", Password);
        await using var scope = server.Services.CreateAsyncScope();
        var xml = await scope.ServiceProvider.GetRequiredService<PressDbContext>().DataProtectionKeys.Select(k => k.Xml).FirstAsync();
        Assert.Contains("<value>", xml, StringComparison.Ordinal);
        Assert.False(server.Services.GetRequiredService<PressMcp.Web.KeyEncryptionState>().Encrypted);
    }

    [Fact]
    public async Task Serve_WithAMissingCertificate_RefusesToStartNamingIt()
    {
        var missing = Path.Combine(_directory, "nope.pfx");
        var r = await CliRunner.RunRawAsync("serve", "--data", Path.Combine(_directory, "data"), "--urls", "http://127.0.0.1:0", "--log-level", "warning",
            "--option", $"DataProtection:CertificatePath={missing}");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"error: cannot start: DataProtection:CertificatePath: '{missing}' not found", r.Error.Trim());
    }

    [Fact]
    public async Task Serve_WithAWrongCertificatePassword_RefusesToStartNamingIt()
    {
        var r = await CliRunner.RunRawAsync("serve", "--data", Path.Combine(_directory, "data"), "--urls", "http://127.0.0.1:0", "--log-level", "warning",
            "--option", $"DataProtection:CertificatePath={_pfx}", "--option", "DataProtection:CertificatePassword=wrong");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"error: cannot start: DataProtection:CertificatePath: '{_pfx}' cannot be opened with DataProtection:CertificatePassword (expected a PKCS#12 .pfx file and its password)", r.Error.Trim());
    }
}
