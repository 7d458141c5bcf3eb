using System.Text.Json;

namespace PressMcp.Tests.Media.Scans;

/// <summary>
/// One running server for a class of scan tests: alice, erin and arthur with MCP and every ability on; each test makes
/// its own site (<see cref="ScanKit.NewSiteAsync"/>) where erin is an editor and arthur an author. Heartbeats every
/// 0.2 s and a poll every second keep the tests quick; the stale limit stays long, so nothing here is interrupted by accident.
/// </summary>
public class ScanFixture : IAsyncLifetime
{
    internal AbilityHarness Harness { get; private set; } = null!;
    internal IServiceProvider Services => Harness.Services;

    protected virtual IDictionary<string, string?> Configuration => new Dictionary<string, string?>
    {
        ["Media:Scans:HeartbeatSeconds"] = "0.2",
        ["Media:Scans:StaleAfterSeconds"] = "60",
        ["Media:Scans:PollSeconds"] = "1",
    };

    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public async ValueTask InitializeAsync()
    {
        Harness = await AbilityHarness.StartAsync(Configuration, ConfigureServices);
        foreach (var login in ScanKit.Members) await Harness.Server.Server.CreateUserAsync(login, "member secret phrase");
        foreach (var login in (string[])["alice", .. ScanKit.Members]) await Harness.EnableAsync(login);
    }

    public ValueTask DisposeAsync() => Harness.DisposeAsync();

    internal Task<string> NewSiteAsync() => ScanKit.NewSiteAsync(Harness.Server.Server);

    internal async Task<JsonElement> UploadAsync(string site, byte[] bytes, string filename, object? extra = null)
    {
        var args = JsonSerializer.SerializeToNode(extra ?? new { })!.AsObject();
        args["data"] = Convert.ToBase64String(bytes);
        args["filename"] = filename;
        return await Harness.OkAsync("alice", "media/upload", JsonSerializer.SerializeToElement(args), site);
    }

    internal async Task<long> UploadIdAsync(string site, byte[] bytes, string filename, object? extra = null) =>
        (await UploadAsync(site, bytes, filename, extra)).GetProperty("id").GetInt64();

    internal string MediaRoot => Path.Combine(Harness.Server.Server.Store.DataDirectory, "media");
}

/// <summary>The same with a fake chat model (<see cref="FakeChatClient"/>) and one item per question, so a run can be held mid-way.</summary>
public sealed class ModelScanFixture : ScanFixture
{
    internal FakeChatClient Chat { get; } = new();

    /// <summary>What the scan runner logs, down to Debug: a test waits for "scan N waits" instead of sleeping.</summary>
    internal LogCapture RunnerLog { get; } = new(typeof(PressMcp.Media.Scans.ScanRunner).FullName!);

    protected override IDictionary<string, string?> Configuration
    {
        get
        {
            var c = base.Configuration;
            c["Media:Organizer:BatchSize"] = "1";
            return c;
        }
    }

    protected override void ConfigureServices(IServiceCollection services)
    {
        FakeChatClient.Register(services, Chat);
        RunnerLog.Register(services);
    }
}
