using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace PressMcp.Tests.Mcp;

/// <summary>Tests that measure the process's allocations: nothing else may run meanwhile.</summary>
[CollectionDefinition(nameof(AllocationMeasured), DisableParallelization = true)]
public sealed class AllocationMeasured;

/// <summary>
/// What one request may cost before anything is decided about it. The caller is mallory: a valid Application
/// Password, MCP access off, member of no site, which is the weakest credential that passes authentication. Her
/// bodies are full of tiny array items, the cheapest way to make a parser build a large tree; each must be refused
/// promptly with a JSON-RPC error, and the server's allocations for the request must stay within a small multiple
/// of the body (measured across the process, so this class runs alone).
/// </summary>
[Trait(Category.Name, Category.Integration)]
[Collection(nameof(AllocationMeasured))]
public sealed class RequestBodyBoundsTests : IAsyncLifetime
{
    private OAuthTestServer _s = null!;
    private AuthenticationHeaderValue _mallory = null!;

    public async ValueTask InitializeAsync()
    {
        _s = await OAuthTestServer.StartAsync();
        await _s.Server.CreateUserAsync("mallory", "quiet probing phrase");
        _mallory = AdapterCalls.Basic("mallory", await AdapterCalls.CreatePasswordAsync(_s.Server.Store, "mallory", "Probe", enableMcp: false));
    }

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    /// <summary>An execute call whose parameters hold one array of <paramref name="items"/> zeros.</summary>
    private static byte[] ArrayBody(int items)
    {
        var body = new StringBuilder("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"mcp-adapter-execute-ability","arguments":{"ability_name":"posts/search","parameters":{"search":[""");
        body.Insert(body.Length, "0,", items - 1).Append("0]}}}}");
        return Encoding.UTF8.GetBytes(body.ToString());
    }

    private async Task<(HttpResponseMessage Response, JsonElement Json, long Allocated)> MeasuredAsync(string endpoint, byte[] body, AuthenticationHeaderValue auth)
    {
        var client = _s.Anonymous();
        HttpRequestMessage Request()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Authorization = auth;
            return request;
        }
        // The same credential once before, so that signing in, caches and first-call compilation are not counted.
        using (var warm = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(AdapterCalls.Rpc("tools/list"), Encoding.UTF8, "application/json") })
        {
            warm.Headers.Authorization = auth;
            (await client.SendAsync(warm)).Dispose();
        }
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var response = await client.SendAsync(Request());
        var text = await response.Content.ReadAsStringAsync();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        return (response, JsonDocument.Parse(text).RootElement.Clone(), allocated);
    }

    [Fact]
    public async Task Adapter_BodyOverOneMegabyte_FromACallerWhoMayNotUpload_IsRefusedUnread()
    {
        var body = ArrayBody(2_000_000);
        var (response, json, allocated) = await MeasuredAsync(_s.SiteEndpoint("garden"), body, _mallory);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(-32600, json.GetProperty("error").GetProperty("code").GetInt32());
        Assert.StartsWith("the request body is larger than 1048576 bytes (only media/upload calls", json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.InRange(allocated, 0, 4L * body.Length);
    }

    [Fact]
    public async Task Adapter_BodyUnderOneMegabyte_WithAHugeArray_IsRefusedBeforeAnyTreeIsBuilt()
    {
        var body = ArrayBody(500_000);
        Assert.InRange(body.Length, 900_000, 1_048_576);
        var (response, json, allocated) = await MeasuredAsync(_s.SiteEndpoint("garden"), body, _mallory);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(-32600, json.GetProperty("error").GetProperty("code").GetInt32());
        Assert.StartsWith("the request holds more than 10000 JSON values", json.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.InRange(allocated, 0, 4L * body.Length);
    }

    [Fact]
    public async Task Wpcom_BodyWithAHugeArray_IsRefusedBeforeAnyTreeIsBuilt()
    {
        var token = (await _s.ConnectAsync()).Tokens.AccessToken;
        var body = Encoding.UTF8.GetBytes(new StringBuilder("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"wpcom-mcp-posts-search","arguments":{"wpcom_site":"garden","search":[""")
            .Append(string.Join(',', Enumerable.Repeat("0", 400_000))).Append("]}}}").ToString());
        var (response, json, allocated) = await MeasuredAsync(_s.Wpcom, body, new AuthenticationHeaderValue("Bearer", token));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(-32600, json.GetProperty("error").GetProperty("code").GetInt32());
        Assert.InRange(allocated, 0, 4L * body.Length);
    }

    [Fact]
    public async Task Adapter_NestingDeeperThan32_IsRefused()
    {
        var parameters = new string('[', 40) + new string(']', 40);
        var response = await AdapterCalls.PostAsync(_s.Anonymous(), _s.SiteEndpoint("garden"),
            """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"mcp-adapter-execute-ability","arguments":{"ability_name":"posts/search","parameters":{"search":""" + parameters + "}}}}}", _mallory);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var json = await AdapterCalls.JsonOf(response);
        Assert.Equal("the request nests objects and arrays more than 32 deep", json.GetProperty("error").GetProperty("message").GetString());
    }
}
