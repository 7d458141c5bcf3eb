using PressMcp.Tests.Infrastructure;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace PressMcp.Tests.Media.Scans;

/// <summary>
/// The organizer configured with an OpenAI-compatible chat endpoint (a small real HTTP server standing in for the model):
/// the request the built-in client sends, and the answer it reads, end to end through a scan.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class OpenAiEndpointTests
{
    [Fact]
    public async Task ConfiguredEndpoint_IsAskedWithTheKey_AndItsAnswerPlacesTheItem()
    {
        var requests = new ConcurrentQueue<(string? Authorization, JsonElement Body)>();
        long folderId = 0;
        var port = LoopbackPort.Free();
        // No configuration file watcher: the machine's inotify instances are shared and few.
        var model = WebApplication.CreateBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        model.WebHost.UseUrls($"http://127.0.0.1:{port}");
        model.Logging.ClearProviders();
        await using var fake = model.Build();
        fake.MapPost("/v1/chat/completions", async (HttpContext http) =>
        {
            var body = (await JsonDocument.ParseAsync(http.Request.Body)).RootElement.Clone();
            requests.Enqueue((http.Request.Headers.Authorization.ToString(), body));
            var question = JsonDocument.Parse(body.GetProperty("messages")[1].GetProperty("content").GetString()!).RootElement;
            var id = question.GetProperty("items")[0].GetProperty("id").GetInt64();
            var content = $"{{\"proposals\":[{{\"media_id\":{id},\"folder\":{folderId},\"why\":\"it is a scan\"}}]}}";
            return Results.Json(new { model = "tiny-1", choices = new[] { new { message = new { role = "assistant", content } } } });
        });
        await fake.StartAsync();

        await using var h = await AbilityHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Media:Organizer:ChatEndpoint"] = $"http://127.0.0.1:{port}/v1",
            ["Media:Organizer:Model"] = "tiny-1",
            ["Media:Organizer:ApiKey"] = "sk-test-secret",
            ["Media:Scans:HeartbeatSeconds"] = "0.2",
            ["Media:Scans:PollSeconds"] = "1",
        });
        await h.EnableAsync("alice");
        folderId = (await h.OkAsync("alice", "vmfo/create-folder", new { name = "Scans" })).GetProperty("id").GetInt64();
        var item = (await h.OkAsync("alice", "media/upload", new { data = Convert.ToBase64String(MediaSamples.Pdf()), filename = "x.pdf" })).GetProperty("id").GetInt64();

        var started = await h.OkAsync("alice", "vmfo-ai-organizer/start-scan", new { mode = "apply" });
        var done = await ScanKit.WaitAsync(h.Services, "vmfo-ai-organizer/get-scan-status", started.GetProperty("id").GetInt64(), "garden");
        Assert.Equal("completed", done.GetProperty("status").GetString());
        var proposal = done.GetProperty("proposals")[0];
        Assert.Equal(item, proposal.GetProperty("attachment_id").GetInt64());
        Assert.Equal(folderId, proposal.GetProperty("proposed_folder_id").GetInt64());
        Assert.Equal("model", proposal.GetProperty("detail").GetProperty("source").GetString());
        Assert.True(proposal.GetProperty("applied").GetBoolean());

        var (authorization, body) = Assert.Single(requests);
        Assert.Equal("Bearer sk-test-secret", authorization);
        Assert.Equal("tiny-1", body.GetProperty("model").GetString());
        Assert.Equal("json_object", body.GetProperty("response_format").GetProperty("type").GetString());
        Assert.Equal("system", body.GetProperty("messages")[0].GetProperty("role").GetString());
        Assert.Equal(0, body.GetProperty("temperature").GetDouble());
        // The key is configuration, never output.
        Assert.DoesNotContain("sk-test-secret", done.GetRawText(), StringComparison.Ordinal);
        await fake.StopAsync();
    }
}
