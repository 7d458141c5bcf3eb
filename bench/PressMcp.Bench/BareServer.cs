using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace PressMcp.Bench;

/// <summary>
/// <c>bare-server --urls URL --answer FILE</c>: the reference point, a hand-written JSON-RPC endpoint on Kestrel in
/// a process of its own, with nothing of PressMcp in its pipeline. <c>POST /mcp</c> reads and parses the body, checks
/// that it is a JSON-RPC 2.0 request, and answers with the request's id and the <c>result</c> of the answer file (a real
/// answer of the trivial tool, so both sides send the same bytes). <c>GET /healthz</c> says it is up.
/// </summary>
internal static class BareServer
{
    public static async Task RunAsync(string url, string answerFile)
    {
        using var answer = JsonDocument.Parse(await File.ReadAllBytesAsync(answerFile));
        var result = answer.RootElement.GetProperty("result").GetRawText();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapPost("/mcp", async context =>
        {
            using var request = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            var root = request.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("jsonrpc", out var version) || version.GetString() != "2.0"
                || !root.TryGetProperty("method", out var method) || method.ValueKind != JsonValueKind.String || !root.TryGetProperty("id", out var id))
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
            context.Response.ContentType = "application/json";
            await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            writer.WritePropertyName("id");
            id.WriteTo(writer);
            writer.WritePropertyName("result");
            writer.WriteRawValue(result, skipInputValidation: true);
            writer.WriteEndObject();
            await writer.FlushAsync(context.RequestAborted);
        });
        await app.RunAsync();
    }
}
