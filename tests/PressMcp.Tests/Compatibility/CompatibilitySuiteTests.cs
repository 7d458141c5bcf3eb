using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using PressMcp.Abilities;
using PressMcp.Mcp.Settings;
using PressMcp.Storage;

namespace PressMcp.Tests.Compatibility;

/// <summary>
/// The compatibility suite (<c>./test.sh compatibility</c>, docs/compatibility.md "Compatibility suite"): every example
/// call of the documentation PressMcp imitates, kept as data under <c>Compatibility/Examples/&lt;source&gt;/*.json</c>,
/// replayed with its documented arguments against the running server (real Kestrel port, real OAuth token for the
/// WordPress.com endpoint, a real Application Password for the adapter endpoint), each answer checked against the
/// documented shape. One server for the whole suite: each example creates what it changes.
/// </summary>
[Trait(Category.Name, Category.Compatibility)]
public sealed partial class CompatibilitySuiteTests(CompatibilitySuiteTests.Server server) : IClassFixture<CompatibilitySuiteTests.Server>
{
    private static readonly string Folder = RepositoryRoot.File("tests", "PressMcp.Tests", "Compatibility", "Examples");

    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Folder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(Folder, file).Replace('\\', '/'));
        return data;
    }

    [Fact]
    public void Examples_CoverEachSource()
    {
        // Other sources may be added as folders; these three must never be empty.
        foreach (var source in new[] { "mcp-adapter", "reference", "wpcom-content-authoring" })
            Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(Folder, source), "*.json"));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Example_ReplayedAgainstTheRunningServer_HasTheDocumentedShape(string file)
    {
        var example = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Folder, file)))!.AsObject();
        foreach (var required in new[] { "source", "document", "calls" })
            Assert.True(example.ContainsKey(required), $"{file}: '{required}' is required");
        var variables = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var step = 0;
        foreach (var call in example["calls"]!.AsArray())
        {
            step++;
            await ReplayAsync(call!.AsObject(), variables, $"{file}, call {step}");
        }
    }

    private async Task ReplayAsync(JsonObject call, Dictionary<string, JsonNode?> variables, string where)
    {
        var endpoint = (string?)call["endpoint"] ?? "adapter";
        var site = (string?)call["site"] ?? "garden";
        var url = endpoint switch
        {
            "wpcom" => server.S.Wpcom,
            "adapter" => server.S.SiteEndpoint(site),
            _ => throw new InvalidOperationException($"{where}: endpoint must be wpcom or adapter"),
        };
        var httpMethod = new HttpMethod((string?)call["http_method"] ?? "POST");
        var request = new HttpRequestMessage(httpMethod, url);
        request.Headers.Authorization = endpoint == "wpcom" ? new AuthenticationHeaderValue("Bearer", server.Token) : server.AppPassword;
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        foreach (var (name, header) in (call["headers"] as JsonObject) ?? [])
            request.Headers.TryAddWithoutValidation(name, Substitute(header, variables)!.GetValue<string>());
        if (httpMethod == HttpMethod.Post)
            request.Content = new StringContent(Substitute(Body(call), variables)!.ToJsonString(), Encoding.UTF8, "application/json");

        using var response = await server.S.Anonymous().SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var expect = call["expect"]?.AsObject() ?? [];
        var status = (int?)expect["status"] ?? 200;
        Assert.True(status == (int)response.StatusCode, $"{where}: HTTP {(int)response.StatusCode}, expected {status}: {text}");
        foreach (var (name, variable) in (call["capture_headers"] as JsonObject) ?? [])
            variables[variable!.GetValue<string>()] = JsonValue.Create(response.Headers.GetValues(name).Single());
        if (text.Length == 0)
        {
            Assert.True(expect["empty"] is not null || status == 202, $"{where}: empty answer, expected a body");
            return;
        }
        var rpc = JsonDocument.Parse(text).RootElement;
        var value = Check(rpc, expect, where);
        foreach (var (variable, path) in (call["capture"] as JsonObject) ?? [])
        {
            var found = At(value, path!.GetValue<string>());
            Assert.True(found is not null, $"{where}: nothing at {path} to capture as {variable}");
            variables[variable] = JsonNode.Parse(found.Value.GetRawText());
        }
    }

    /// <summary>The JSON-RPC message the call describes: a tool call, an adapter ability execution, or any method.</summary>
    private static JsonNode Body(JsonObject call)
    {
        if (call["body"] is { } raw) return raw.DeepClone();
        var method = (string?)call["method"] ?? "tools/call";
        JsonNode? parameters = call["params"]?.DeepClone();
        if (call["ability"] is { } ability)
            parameters = new JsonObject { ["name"] = "mcp-adapter-execute-ability", ["arguments"] = new JsonObject { ["ability_name"] = ability.DeepClone(), ["parameters"] = call["parameters"]?.DeepClone() ?? new JsonObject() } };
        else if (call["tool"] is { } tool)
            parameters = new JsonObject { ["name"] = tool.DeepClone(), ["arguments"] = call["arguments"]?.DeepClone() ?? new JsonObject() };
        var body = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = method };
        if (parameters is not null) body["params"] = parameters;
        return body;
    }

    /// <summary>Checks the answer; returns what later calls capture from: the tool's value (decoded content text) or the result.</summary>
    private static JsonElement Check(JsonElement rpc, JsonObject expect, string where)
    {
        if (rpc.ValueKind == JsonValueKind.Array)
        {
            Assert.True(expect["batch_count"] is { } n && (int)n == rpc.GetArrayLength(), $"{where}: a batch of {rpc.GetArrayLength()} answers: {rpc}");
            return rpc;
        }
        Assert.Equal("2.0", rpc.GetProperty("jsonrpc").GetString());
        if (expect["error"] is JsonObject error)
        {
            Assert.True(rpc.TryGetProperty("error", out var actual), $"{where}: expected an error, got {rpc}");
            Assert.Equal((int)error["code"]!, actual.GetProperty("code").GetInt32());
            var message = actual.GetProperty("message").GetString()!;
            if ((string?)error["message"] is { } exact) Assert.Equal(exact, message);
            if ((string?)error["message_starts_with"] is { } prefix) Assert.StartsWith(prefix, message, StringComparison.Ordinal);
            return actual;
        }
        Assert.True(rpc.TryGetProperty("result", out var result), $"{where}: expected a result, got {rpc}");
        Shape(result, expect["result_shape"] as JsonObject, $"{where}: result");
        var isError = result.TryGetProperty("isError", out var e) && e.ValueKind == JsonValueKind.True;
        if (expect["tool_error"] is JsonObject toolError)
        {
            Assert.True(isError, $"{where}: expected isError, got {result}");
            var message = result.GetProperty("content")[0].GetProperty("text").GetString()!;
            Assert.Contains((string)toolError["contains"]!, message, StringComparison.Ordinal);
            return result;
        }
        if (!result.TryGetProperty("content", out var content)) return result;
        Assert.False(isError, $"{where}: the tool failed: {result}");
        var value = JsonDocument.Parse(content[0].GetProperty("text").GetString()!).RootElement;
        Shape(value, expect["value_shape"] as JsonObject, $"{where}: value");
        if (expect["value_schema"] is JsonObject schema)
            Assert.True(new SchemaValidator(JsonDocument.Parse(schema.ToJsonString()).RootElement) is var validator
                && validator.Validate(value) is not { } problem, $"{where}: value does not match value_schema: {validator.Validate(value)}");
        return value;
    }

    /// <summary>Each path (<c>a.b</c>, <c>a[0].b</c>) is present and of its JSON type, or equal to the given value.</summary>
    private static void Shape(JsonElement root, JsonObject? shape, string where)
    {
        foreach (var (path, given) in shape ?? [])
        {
            var expected = given;
            var found = At(root, path);
            Assert.True(found is not null, $"{where}: '{path}' is missing in {root}");
            // {"equals": x}: exactly x, for a string that is also a type name ("object").
            if (expected is JsonObject { Count: 1 } literal && literal.TryGetPropertyValue("equals", out var exact))
                expected = exact;
            else if (expected is JsonValue v && v.TryGetValue<string>(out var type) && Types.TryGetValue(type, out var kinds))
            {
                Assert.True(kinds.Contains(found.Value.ValueKind) && (type != "integer" || found.Value.TryGetInt64(out _)),
                    $"{where}: '{path}' is {found.Value.ValueKind}, expected {type}");
                continue;
            }
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(found.Value.GetRawText()), expected), $"{where}: '{path}' is {found.Value.GetRawText()}, expected {expected?.ToJsonString()}");
        }
    }

    private static readonly Dictionary<string, JsonValueKind[]> Types = new(StringComparer.Ordinal)
    {
        ["string"] = [JsonValueKind.String],
        ["number"] = [JsonValueKind.Number],
        ["integer"] = [JsonValueKind.Number],
        ["boolean"] = [JsonValueKind.True, JsonValueKind.False],
        ["object"] = [JsonValueKind.Object],
        ["array"] = [JsonValueKind.Array],
        ["null"] = [JsonValueKind.Null],
        ["any"] = [JsonValueKind.String, JsonValueKind.Number, JsonValueKind.True, JsonValueKind.False, JsonValueKind.Object, JsonValueKind.Array, JsonValueKind.Null],
    };

    private static JsonElement? At(JsonElement root, string path)
    {
        var current = root;
        foreach (Match part in PathPart().Matches(path))
        {
            if (part.Groups["index"].Success)
            {
                var i = int.Parse(part.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture);
                if (current.ValueKind != JsonValueKind.Array || i >= current.GetArrayLength()) return null;
                current = current[i];
            }
            else if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part.Groups["name"].Value, out current))
            {
                return null;
            }
        }
        return current;
    }

    [GeneratedRegex(@"(?<name>[^.\[\]]+)|\[(?<index>\d+)\]")]
    private static partial Regex PathPart();

    /// <summary>"${name}" as a whole string is the captured value itself (a number stays a number); inside text, its text.</summary>
    private static JsonNode? Substitute(JsonNode? node, Dictionary<string, JsonNode?> variables) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Substitute(p.Value, variables)))),
        JsonArray a => new JsonArray([.. a.Select(n => Substitute(n, variables))]),
        JsonValue v when v.TryGetValue<string>(out var s) && s.Contains("${", StringComparison.Ordinal) =>
            Variable().Match(s) is { Success: true } whole && whole.Length == s.Length
                ? variables[whole.Groups[1].Value]?.DeepClone()
                : JsonValue.Create(Variable().Replace(s, m => variables[m.Groups[1].Value] is JsonValue t && t.TryGetValue<string>(out var text) ? text : variables[m.Groups[1].Value]!.ToJsonString())),
        _ => node?.DeepClone(),
    };

    [GeneratedRegex(@"\$\{([A-Za-z0-9_]+)\}")]
    private static partial Regex Variable();

    /// <summary>
    /// The running server for the suite: alice (administrator of garden, contributor of kitchen) with an OAuth token
    /// for both sites and an Application Password, every tool switched on in her MCP settings (write tools are off
    /// until a user turns them on, and the examples include writes).
    /// </summary>
    public sealed class Server : IAsyncLifetime
    {
        public OAuthTestServer S { get; private set; } = null!;
        public string Token { get; private set; } = "";
        public AuthenticationHeaderValue AppPassword { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            S = await OAuthTestServer.StartAsync();
            Token = (await S.ConnectAsync(sites: ["Garden Notes", "Kitchen"])).Tokens.AccessToken;
            AppPassword = AdapterCalls.Basic("alice", await AdapterCalls.CreatePasswordAsync(S.Server.Store, "alice", "compatibility suite"));
            await using var scope = S.Server.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PressDbContext>();
            var alice = await db.Users.Where(u => u.UserName == "alice").Select(u => u.Id).SingleAsync();
            var all = scope.ServiceProvider.GetRequiredService<AbilityRegistry>().All.ToDictionary(a => a.Name, _ => true);
            await scope.ServiceProvider.GetRequiredService<McpSettingsStore>().SetToolsAsync(alice, all);
        }

        public async ValueTask DisposeAsync() => await S.DisposeAsync();
    }
}
