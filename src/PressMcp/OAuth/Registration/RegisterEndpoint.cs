using System.Text.Json;
using PressMcp.OAuth.Clients;
using PressMcp.OAuth.Protocol;

namespace PressMcp.OAuth.Registration;

/// <summary>
/// <c>POST /oauth2-1/register</c>: RFC 7591 dynamic registration of public clients. Parse the JSON body →
/// validate the metadata (<see cref="ClientMetadataReader"/>) → store → answer 201 with the registered
/// metadata and <c>token_endpoint_auth_method: "none"</c>, whatever method was asked for.
/// </summary>
internal static partial class RegisterEndpoint
{
    /// <summary>
    /// The whole registration, and so about the most a registration row can hold: each field is bounded further
    /// (<see cref="ClientMetadataReader"/>); real clients send well under 1 KB.
    /// </summary>
    public const int MaxBodyBytes = 4 * 1024;

    public static async Task<IResult> HandleAsync(HttpContext http, ClientStore clients, TimeProvider clock, ILogger<ClientStore> logger, CancellationToken ct)
    {
        var (root, parseError) = await ParseAsync(http.Request, ct);
        if (parseError is not null) return Refuse(http, logger, parseError);

        using (root)
        {
            var (metadata, error) = ClientMetadataReader.Read(root!.RootElement, isDocument: false);
            if (error is not null) return Refuse(http, logger, error);

            var client = await clients.RegisterAsync(metadata!, ct);
            LogRegistered(logger, client.Id, client.Name);
            var response = new RegistrationResponse
            {
                ClientId = client.Id,
                ClientIdIssuedAt = new DateTimeOffset(client.CreatedUtc).ToUnixTimeSeconds(),
                ClientName = client.Name,
                RedirectUris = metadata!.RedirectUris,
                GrantTypes = metadata.GrantTypes,
                ResponseTypes = metadata.ResponseTypes,
                TokenEndpointAuthMethod = "none",
                ApplicationType = client.ApplicationType,
                Scope = client.Scope,
                ClientUri = client.ClientUri,
                LogoUri = client.LogoUri,
            };
            return OAuthResponses.Json(http, response, OAuthJson.Default.RegistrationResponse, StatusCodes.Status201Created);
        }
    }

    private static async Task<(JsonDocument?, OAuthError?)> ParseAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return (null, new OAuthError(OAuthErrors.InvalidClientMetadata, "the body must be application/json"));
        if (request.ContentLength > MaxBodyBytes)
            return (null, new OAuthError(OAuthErrors.InvalidClientMetadata, $"the body is larger than {MaxBodyBytes} bytes"));
        var body = await BoundedRead.ReadAsync(request.Body, MaxBodyBytes, ct);
        if (body is null) return (null, new OAuthError(OAuthErrors.InvalidClientMetadata, $"the body is larger than {MaxBodyBytes} bytes"));
        try
        {
            return (JsonDocument.Parse(body), null);
        }
        catch (JsonException)
        {
            return (null, new OAuthError(OAuthErrors.InvalidClientMetadata, "the body is not valid JSON"));
        }
    }

    private static IResult Refuse(HttpContext http, ILogger logger, OAuthError error)
    {
        LogRefused(logger, error.Code, error.LogReason);
        return OAuthResponses.Error(http, error);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered OAuth client {ClientId} ({Name})")]
    private static partial void LogRegistered(ILogger logger, string clientId, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Client registration refused ({Error}): {Reason}")]
    private static partial void LogRefused(ILogger logger, string error, string reason);
}
