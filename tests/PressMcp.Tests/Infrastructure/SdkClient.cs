using System.Net;
using ModelContextProtocol.Authentication;
using ModelContextProtocol.Client;

namespace PressMcp.Tests.Infrastructure;

/// <summary>
/// The official MCP C# client's Streamable HTTP transport with OAuth, playing the user's browser as alice: the
/// consent form is posted for real, and the code, state and iss are read from the redirect so the SDK checks them.
/// </summary>
public static class SdkClient
{
    public const string Redirect = "http://localhost:1179/callback";

    /// <param name="sites">The site titles alice ticks on the consent page (all offered when null).</param>
    /// <param name="onAuthorize">Sees each authorization URL the client opens (scopes asked, step-ups).</param>
    public static async Task<HttpClientTransport> TransportAsync(
        OAuthTestServer server, string name, string? endpoint = null, string[]? sites = null, ScopeSelectorDelegate? selectScopes = null,
        string? clientId = null, Action<Uri>? onAuthorize = null, HttpClient? http = null)
    {
        var browser = await server.AliceAsync();
        var options = new HttpClientTransportOptions
        {
            Endpoint = new Uri(endpoint ?? server.Wpcom),
            TransportMode = HttpTransportMode.StreamableHttp,
            EnableStandaloneGetStream = false,
            OAuth = new ClientOAuthOptions
            {
                RedirectUri = new Uri(Redirect),
                ClientId = clientId,
                DynamicClientRegistration = new DynamicClientRegistrationOptions { ClientName = name },
                ScopeSelector = selectScopes,
                AuthorizationCallbackHandler = async (context, ct) =>
                {
                    onAuthorize?.Invoke(context.AuthorizationUri);
                    var approved = await OAuthTestServer.DecideAsync(browser, context.AuthorizationUri.PathAndQuery, siteTitles: sites);
                    Assert.Equal(HttpStatusCode.SeeOther, approved.StatusCode);
                    var location = approved.Headers.Location!;
                    Assert.StartsWith(Redirect, location.ToString(), StringComparison.Ordinal);
                    var query = OAuthTestServer.QueryOf(location);
                    return new AuthorizationResult { Code = query["code"], State = query["state"], Iss = query["iss"] };
                },
            },
        };
        return http is null ? new HttpClientTransport(options) : new HttpClientTransport(options, http, ownsHttpClient: true);
    }
}
