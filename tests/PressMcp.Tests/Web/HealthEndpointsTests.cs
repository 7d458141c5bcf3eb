using System.Net;
using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;

namespace PressMcp.Tests.Web;

/// <summary><c>/healthz</c> and <c>/readyz</c>: unauthenticated, one word, and readiness follows the database's schema.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class HealthEndpointsTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await TestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Healthz_AnswersWithoutSignIn()
    {
        var response = await _server.CreateClient().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_IsUnready_WhileAMigrationIsMissing_ThenReady()
    {
        await using var scope = _server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
        var last = (await db.Database.GetAppliedMigrationsAsync()).Last();
        // As if this build's last migration had not been applied (an older schema, or another instance mid-upgrade).
        var removed = await db.Database.ExecuteSqlRawAsync("DELETE FROM ef_migrations_history WHERE \"MigrationId\" = {0}", last);
        Assert.Equal(1, removed);

        var unready = await _server.CreateClient().GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unready.StatusCode);
        Assert.Equal("Unhealthy", await unready.Content.ReadAsStringAsync());

        await db.Database.ExecuteSqlRawAsync("INSERT INTO ef_migrations_history (\"MigrationId\", \"ProductVersion\") VALUES ({0}, '10.0.14')", last);
        var ready = await _server.CreateClient().GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }
}

/// <summary>The request log: one line per request, without the query string, and none for health probes.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class RequestLogTests
{
    [Fact]
    public async Task Request_IsOneLineWithoutQuery_ProbesAreNotLogged()
    {
        var log = new LogCapture("PressMcp.Web.RequestLog");
        await using var server = await TestServer.StartAsync(configureHost: b => log.Register(b.Services, LogLevel.Information));
        var client = server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/login?code=secret-value")).StatusCode);

        // Requests are logged as they end, in order: once /login is there, the probes before it would be too.
        var line = await log.WaitForAsync(m => m.Contains("/login", StringComparison.Ordinal));
        Assert.Matches(@"^GET /login 200 \d+\.\d ms$", line);
        Assert.DoesNotContain(log.Messages, m => m.Contains("healthz", StringComparison.Ordinal) || m.Contains("readyz", StringComparison.Ordinal));
    }
}
