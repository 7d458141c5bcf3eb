using System.Net;
using System.Text.Json;
using PressMcp.Tests.Media;
using static PressMcp.Tests.Infrastructure.AdapterCalls;

namespace PressMcp.Tests.Mcp;

/// <summary>
/// The adapter endpoint accepts a body larger than 1 MB (up to the upload limit in base64) only for a media/upload
/// call, and only from a caller every permission layer lets upload on that site; the decision about the caller is
/// taken before the body is read. Upload limit 2 MB here, so the endpoint takes bodies up to about 3 MB.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class AdapterUploadBodyTests : IAsyncLifetime
{
    private AbilityHarness _h = null!;
    private readonly byte[] _pdf = new byte[1536 * 1024];

    public async ValueTask InitializeAsync()
    {
        _h = await AbilityHarness.StartAsync(new Dictionary<string, string?> { ["Media:MaxUploadBytes"] = (2 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await _h.AddMemberAsync("sam", "garden", "subscriber");
        await _h.EnableAsync("alice");
        await _h.EnableAsync("sam");
        MediaSamples.Pdf().CopyTo(_pdf, 0);
    }

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    private async Task<(HttpResponseMessage Response, JsonElement Json)> PostAsAsync(string login, string body)
    {
        var password = await CreatePasswordAsync(_h.Server.Server.Store, login, "Uploads");
        var response = await PostAsync(_h.Server.Anonymous(), _h.Server.SiteEndpoint("garden"), body, Basic(login, password));
        return (response, await JsonOf(response));
    }

    private string Upload() => Execute("media/upload", new { data = Convert.ToBase64String(_pdf), filename = "large.pdf" });

    [Fact]
    public async Task LargeUpload_FromAUserWhoMayUpload_IsAccepted()
    {
        var (response, json) = await PostAsAsync("alice", Upload());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(json.TryGetProperty("error", out var error), error.ToString());
        Assert.Equal(_pdf.Length, TextResult(json).GetProperty("size").GetInt64());
    }

    [Fact]
    public async Task LargeUpload_FromAUserWithoutUploadFiles_IsRefusedUnread()
    {
        var (response, json) = await PostAsAsync("sam", Upload());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var (code, message) = Error(json);
        Assert.Equal(-32600, code);
        Assert.StartsWith("the request body is larger than 1048576 bytes (only media/upload calls (mcp-adapter-execute-ability) of a user who may upload files on this site may be larger",
            message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LargeBody_OfAnotherAbility_FromAUserWhoMayUpload_IsRefused()
    {
        var (response, json) = await PostAsAsync("alice", Execute("posts/search", new { search = new string('a', 1536 * 1024) }));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(-32600, Error(json).Code);
        Assert.Equal(1, json.GetProperty("id").GetInt32());
    }
}
