using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace PressMcp.Media.Organizer;

/// <summary>
/// A minimal <see cref="IChatClient"/> over the OpenAI-compatible chat completions API (<c>POST {endpoint}chat/completions</c>),
/// served by OpenAI and by local servers such as Ollama, vLLM and llama.cpp. Why our own: the maintained implementation
/// (Microsoft.Extensions.AI.OpenAI) is not on our package registry, and the organizer needs one text answer, not tools
/// or streaming. Only text messages, the model, temperature and a JSON response format are sent.
/// </summary>
internal sealed class OpenAiCompatibleChatClient(HttpClient http, Uri endpoint, string model, string? apiKey) : IChatClient
{
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject
        {
            ["model"] = options?.ModelId ?? model,
            ["messages"] = new JsonArray([.. messages.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role.Value, ["content"] = m.Text })]),
        };
        if (options?.Temperature is { } t) body["temperature"] = t;
        if (options?.ResponseFormat is ChatResponseFormatJson) body["response_format"] = new JsonObject { ["type"] = "json_object" };

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, "chat/completions"))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (apiKey is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await http.SendAsync(request, cancellationToken);
        // The status only: a body may echo the request, and the request is not for the log.
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"the chat endpoint answered {(int)response.StatusCode}", null, response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var json = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        var choice = json.RootElement.GetProperty("choices")[0].GetProperty("message");
        var text = choice.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "";
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = json.RootElement.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : model,
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates()) yield return update;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
