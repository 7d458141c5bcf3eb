using Microsoft.Extensions.Options;

namespace PressMcp.Tests.Web;

/// <summary>
/// Options are bound and checked when the server starts: a value outside its range stops the start with a message
/// naming the key, the value and what is allowed, instead of surfacing (or being quietly clamped) at some later request.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class OptionsStartupTests
{
    [Theory]
    [InlineData("Media:Scans:MaxConcurrent", "99", "Media:Scans:MaxConcurrent is 99; it must be between 1 and 16")]
    [InlineData("Media:Scans:StaleAfterSeconds", "2", "Media:Scans:StaleAfterSeconds is 2; it must be between three heartbeats (HeartbeatSeconds × 3 = 15) and 604800")]
    [InlineData("PressMcp:OAuth:MaxUnapprovedClients", "0", "PressMcp:OAuth:MaxUnapprovedClients is 0; it must be between 1 and 1000000")]
    [InlineData("PressMcp:RateLimits:Token:PermitLimit", "0", "PressMcp:RateLimits:Token:PermitLimit is 0; it must be between 1 and 1000000")]
    [InlineData("PressMcp:RateLimits:SignInFailures:Minutes", "0", "PressMcp:RateLimits:SignInFailures:Minutes is 0; it must be between 1 and 1440")]
    [InlineData("Activity:RetentionDays", "0", "Activity:RetentionDays is 0; it must be between 1 and 36500")]
    [InlineData("Media:MaxUploadBytes", "10", "Media:MaxUploadBytes is 10; it must be between 1024 and 1073741824")]
    [InlineData("Media:Organizer:BatchSize", "500", "Media:Organizer:BatchSize is 500; it must be between 1 and 200")]
    [InlineData("Content:MaxContentLength", "10", "Content:MaxContentLength is 10; it must be between 1024 and 268435456")]
    [InlineData("Search:HeldListsMegabytes", "0", "Search:HeldListsMegabytes is 0; it must be between 1 and 4096")]
    [InlineData("Search:MaxConcurrentSqlite", "-1", "Search:MaxConcurrentSqlite is -1; it must be between 0 and 1024")]
    [InlineData("Publishing:ScheduleInterval", "00:00:00.01", "Publishing:ScheduleInterval is 00:00:00.0100000; it must be between 00:00:00.1000000 and 1.00:00:00")]
    public async Task Start_ValueOutOfRange_FailsNamingKeyValueAndRange(string key, string value, string expected)
    {
        await using var store = await TestStore.CreateAsync();
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var server = await TestServer.StartAsync(store, configureHost: b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }));
        });
        Assert.Contains(expected, failure.Failures);
    }

    [Fact]
    public async Task Start_DefaultsAndDocumentedKeys_Start()
    {
        await using var store = await TestStore.CreateAsync();
        await using var server = await TestServer.StartAsync(store, configureHost: b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Media:Scans:HeartbeatSeconds"] = "0.2",
            ["PressMcp:OAuth:AccessTokenLifetime"] = "00:30:00",
            ["PressMcp:RateLimits:Token:PermitLimit"] = "120",
            ["Activity:RetentionDays"] = "7",
            ["Content:MaxContentLength"] = "2048",
            ["Publishing:ViewFlushInterval"] = "00:00:05",
            ["Search:HeldListsMegabytes"] = "48",
        }));
        // Both engines' holders take the bound (the one of the provider in use holds anything).
        Assert.Equal(48L << 20, server.Services.GetRequiredService<PressMcp.Content.Search.SearchPostings>().MaxBytes);
        Assert.Equal(48L << 20, server.Services.GetRequiredService<PressMcp.Content.Search.PostgresSearchPostings>().MaxBytes);
        Assert.Equal(2048, server.Services.GetRequiredService<PressMcp.Content.ContentLimits>().MaxContentLength);
        Assert.Equal(TimeSpan.FromSeconds(5), server.Services.GetRequiredService<PressMcp.Publishing.PublishingOptions>().ViewFlushInterval);
        var scans = server.Services.GetRequiredService<IOptions<PressMcp.Media.Scans.ScanOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(0.2), scans.HeartbeatInterval);
        Assert.Equal(2, scans.MaxConcurrent);
        Assert.Equal(TimeSpan.FromMinutes(30), server.Services.GetRequiredService<IOptions<PressMcp.OAuth.OAuthOptions>>().Value.AccessTokenLifetime);
        Assert.Equal(TimeSpan.FromDays(7), server.Services.GetRequiredService<PressMcp.Activity.ActivityOptions>().Retention);
    }
}
