using System.Net;
using Microsoft.AspNetCore.Identity;
using PressMcp.Accounts;

namespace PressMcp.Tests.Web;

/// <summary>
/// Failed sign-ins: limited per client address first, an account locked only by failures from many addresses, and
/// the same answers (and work) for unknown logins. Client addresses come from X-Forwarded-For, the test client
/// being the trusted proxy.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class SignInTests
{
    private const string BobPassword = "kitchen secret phrase";

    /// <summary>Counts password verifications, to show that an unknown login costs a hash like a wrong password.</summary>
    private sealed class CountingHasher(HashCounter counter) : IPasswordHasher<User>
    {
        private readonly PasswordHasher<User> _inner = new();

        public string HashPassword(User user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref counter.Verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    private sealed class HashCounter
    {
        public int Verifications;
    }

    private static async Task<TestServer> StartAsync(int perAddress, int perAccount, HashCounter? counter = null)
    {
        var server = await TestServer.StartAsync(
            configureHost: b =>
            {
                b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["PressMcp:RateLimits:SignInFailures:PerAddressLimit"] = perAddress.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["PressMcp:RateLimits:SignInFailures:PerAccountLimit"] = perAccount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["PressMcp:RateLimits:Login:PermitLimit"] = "1000",
                });
                if (counter is not null)
                {
                    b.Services.AddSingleton(counter);
                    b.Services.AddScoped<IPasswordHasher<User>, CountingHasher>();
                }
            },
            trustedProxies: ["127.0.0.1"]);
        await server.CreateUserAsync("bob", BobPassword);
        return server;
    }

    private static HttpClient From(TestServer server, string address)
    {
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    private static async Task<(HttpStatusCode Status, string Error, HttpResponseMessage Response)> SignInAsync(HttpClient client, string login, string password)
    {
        var response = await TestServer.PostFormAsync(client, "/login", new() { ["Login"] = login, ["Password"] = password });
        var error = TestServer.Parse(await response.Content.ReadAsStringAsync()).QuerySelector("p.error")?.TextContent ?? "";
        return (response.StatusCode, error, response);
    }

    private static async Task<DateTimeOffset?> LockoutEndAsync(TestServer server, string login)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        return (await users.FindByNameAsync(login))!.LockoutEnd;
    }

    [Fact]
    public async Task SignIn_FailuresFromOneAddress_LimitThatAddress_AccountStaysOpen()
    {
        await using var server = await StartAsync(perAddress: 3, perAccount: 50);
        var guesser = From(server, "203.0.113.7");
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.BadRequest, (await SignInAsync(guesser, "bob", "not the password")).Status);

        // Now refused before any password is checked, the right one included, whatever the login.
        var limited = await SignInAsync(guesser, "bob", BobPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Contains("Too many failed sign-ins from your network address. Wait up to 15 minutes", limited.Error, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMinutes(15), limited.Response.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(guesser, "nobody", "whatever it is")).Status);
        // An IPv6 client is one /64: another address of the same /64 is the same client.
        var v6 = From(server, "2001:db8:1:2::10");
        for (var i = 0; i < 3; i++) await SignInAsync(From(server, $"2001:db8:1:2::{i + 20}"), "bob", "not the password");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(v6, "bob", BobPassword)).Status);

        // Bob, elsewhere, is not locked out.
        Assert.Equal(HttpStatusCode.SeeOther, (await SignInAsync(From(server, "198.51.100.20"), "bob", BobPassword)).Status);
        Assert.Null(await LockoutEndAsync(server, "bob"));
    }

    [Fact]
    public async Task SignIn_FailuresFromManyAddresses_LockTheAccount_UnknownLoginAnsweredAlike_SetPasswordUnlocks()
    {
        // The per-account limit is raised to 2 × 2 + 1 = 5: one address can never reach it.
        await using var server = await StartAsync(perAddress: 2, perAccount: 3);
        for (var i = 1; i <= 5; i++)
        {
            var client = From(server, $"203.0.113.{i}");
            Assert.Equal(HttpStatusCode.BadRequest, (await SignInAsync(client, "bob", "not the password")).Status);
            Assert.Equal(HttpStatusCode.BadRequest, (await SignInAsync(client, "nobody", "not the password")).Status);
        }
        Assert.NotNull(await LockoutEndAsync(server, "bob"));

        var fresh = From(server, "198.51.100.20");
        var locked = await SignInAsync(fresh, "bob", BobPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.Status);
        Assert.Equal("Too many failed sign-ins for this account from many addresses: it is locked for up to 15 minutes. "
            + "A server administrator can unlock it now by resetting its password on the Users page or with pressmcp user set-password.", locked.Error);
        // A login that does not exist gets the same words and status: the lock tells nothing about which accounts exist.
        var unknown = await SignInAsync(fresh, "nobody", "whatever it is");
        Assert.Equal((locked.Status, locked.Error), (unknown.Status, unknown.Error));

        Assert.Equal(0, (await CliRunner.RunAsync(server.Store, "user", "set-password", "--login", "bob", "--password", "kitchen newer phrase")).ExitCode);
        Assert.Equal(HttpStatusCode.SeeOther, (await SignInAsync(fresh, "bob", "kitchen newer phrase")).Status);
    }

    [Fact]
    public async Task SignIn_UnknownLogin_VerifiesAHash_AndAnswersLikeAWrongPassword()
    {
        var counter = new HashCounter();
        await using var server = await StartAsync(perAddress: 10, perAccount: 50, counter);
        var client = From(server, "203.0.113.9");

        var wrong = await SignInAsync(client, "bob", "not the password");
        Assert.Equal(1, Interlocked.Exchange(ref counter.Verifications, 0));
        foreach (var login in new[] { "nobody", "nobody@example.com" })
        {
            var unknown = await SignInAsync(client, login, "not the password");
            Assert.Equal((wrong.Status, wrong.Error), (unknown.Status, unknown.Error));
            Assert.Equal(1, Interlocked.Exchange(ref counter.Verifications, 0));
        }
    }

    [Fact]
    public async Task SignIn_ByEmailAddress_SignsIn()
    {
        await using var server = await StartAsync(perAddress: 10, perAccount: 50);
        var response = await SignInAsync(From(server, "203.0.113.9"), "Bob@Example.com", BobPassword);
        Assert.Equal(HttpStatusCode.SeeOther, response.Status);
        Assert.Equal("/account", response.Response.Headers.Location!.OriginalString);
    }
}
