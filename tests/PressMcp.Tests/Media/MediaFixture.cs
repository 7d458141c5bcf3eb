using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PressMcp.Storage;

namespace PressMcp.Tests.Media;

/// <summary>
/// One running server for a class of media tests: garden (alice administrator, erin editor, arthur author, connie
/// contributor, sam subscriber) and kitchen (bob), MCP on with every ability for each, and an upload limit of 64 KB
/// so the limit can be exceeded cheaply. Tests share it, so each uses names of its own.
/// </summary>
public sealed class MediaFixture : IAsyncLifetime
{
    public const long Limit = 64 * 1024;

    internal AbilityHarness Harness { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Harness = await AbilityHarness.StartAsync(new Dictionary<string, string?> { ["Media:MaxUploadBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await Harness.AddMemberAsync("erin", "garden", "editor");
        await Harness.AddMemberAsync("arthur", "garden", "author");
        await Harness.AddMemberAsync("connie", "garden", "contributor");
        await Harness.AddMemberAsync("sam", "garden", "subscriber");
        foreach (var login in new[] { "alice", "bob", "erin", "arthur", "connie", "sam" }) await Harness.EnableAsync(login);
    }

    public ValueTask DisposeAsync() => Harness.DisposeAsync();

    internal Task<AbilityResult> UploadAsync(string login, byte[] bytes, string filename, object? extra = null, string site = "garden")
    {
        var args = JsonSerializer.SerializeToNode(extra ?? new { })!.AsObject();
        args["data"] = Convert.ToBase64String(bytes);
        args["filename"] = filename;
        return Harness.CallAsync(login, "media/upload", JsonSerializer.SerializeToElement(args), site);
    }

    internal async Task<JsonElement> UploadOkAsync(string login, byte[] bytes, string filename, object? extra = null)
    {
        var r = await UploadAsync(login, bytes, filename, extra);
        Assert.True(r.Succeeded, r.Message);
        return r.Value;
    }

    /// <summary>Runs <paramref name="work"/> with a fresh DbContext of the running server.</summary>
    internal async Task<T> DbAsync<T>(Func<PressDbContext, Task<T>> work)
    {
        await using var scope = Harness.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<PressDbContext>());
    }

    internal Task<long> SiteIdAsync(string slug) => DbAsync(db => db.Sites.Where(s => s.Slug == slug).Select(s => s.Id).FirstAsync());

    internal string MediaRoot => Path.Combine(Harness.Server.Server.Store.DataDirectory, "media");
}
