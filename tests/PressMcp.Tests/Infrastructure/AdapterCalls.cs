using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace PressMcp.Tests.Infrastructure;

/// <summary>Calls to a site's MCP Adapter endpoint as the curl examples in docs/adapter.md make them.</summary>
public static class AdapterCalls
{
    /// <summary>What <c>curl -u "login:password"</c> sends.</summary>
    public static AuthenticationHeaderValue Basic(string login, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{login}:{password}")));

    /// <summary>Creates an Application Password through the real command line and returns it as printed (six groups of four).</summary>
    public static async Task<string> CreatePasswordAsync(TestStore store, string login, string name, bool enableMcp = true)
    {
        string[] args = ["app-password", "create", "--login", login, "--name", name];
        var r = await CliRunner.RunAsync(store, enableMcp ? [.. args, "--enable-mcp"] : args);
        if (r.ExitCode != 0) throw new InvalidOperationException(r.ToString());
        return r.Out.TrimEnd().Split('\n')[^1];
    }

    public static string Rpc(string method, object? parameters = null, int id = 1) =>
        JsonSerializer.Serialize(new { jsonrpc = "2.0", id, method, @params = parameters ?? new { } });

    public static string Call(string tool, object? arguments = null, int id = 1) => Rpc("tools/call", new { name = tool, arguments = arguments ?? new { } }, id);

    public static string Execute(string ability, object? parameters = null) =>
        Call("mcp-adapter-execute-ability", new { ability_name = ability, parameters = parameters ?? new { } });

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string url, string body, AuthenticationHeaderValue? auth, Action<HttpRequestMessage>? tweak = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = auth;
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        tweak?.Invoke(request);
        return await client.SendAsync(request);
    }

    public static async Task<JsonElement> JsonOf(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The ability's result, decoded from <c>result.content[0].text</c> as an adapter client reads it.</summary>
    public static JsonElement TextResult(JsonElement rpc) =>
        JsonDocument.Parse(rpc.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString()!).RootElement.Clone();

    public static (int Code, string Message) Error(JsonElement rpc) =>
        (rpc.GetProperty("error").GetProperty("code").GetInt32(), rpc.GetProperty("error").GetProperty("message").GetString()!);
}
