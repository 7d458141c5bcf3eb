using System.Net;

namespace PressMcp.Tests.OAuth;

/// <summary>The authorization endpoint's rules, one test each: the error page (no redirect) or the redirect with the exact error code, state and iss.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class AuthorizeTests : IAsyncLifetime
{
    private OAuthTestServer _s = null!;
    private string _clientId = null!;
    private HttpClient _alice = null!;

    public async ValueTask InitializeAsync()
    {
        _s = await OAuthTestServer.StartAsync();
        _clientId = await _s.RegisterClientAsync();
        _alice = await _s.AliceAsync();
    }

    public async ValueTask DisposeAsync() => await _s.DisposeAsync();

    private async Task AssertErrorPageAsync(string path, string message)
    {
        var response = await _alice.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<Dictionary<string, string>> RedirectErrorAsync(string path)
    {
        var response = await _alice.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(OAuthTestServer.Redirect + "?", location.ToString(), StringComparison.Ordinal);
        var query = OAuthTestServer.QueryOf(location);
        Assert.Equal(_s.BaseUrl, query["iss"]);
        Assert.False(query.ContainsKey("code"));
        return query;
    }

    [Fact]
    public async Task Authorize_UnknownClient_ShowsErrorPage_NoRedirect() =>
        await AssertErrorPageAsync(OAuthTestServer.AuthorizePath("no-such-client", Pkce.New()), "not registered");

    [Fact]
    public async Task Authorize_MissingClientId_ShowsErrorPage_NoRedirect()
    {
        var response = await _alice.GetAsync("/oauth2-1/authorize?response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcallback");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Authorize_UnregisteredRedirectUri_ShowsErrorPage_NoRedirect() =>
        await AssertErrorPageAsync(OAuthTestServer.AuthorizePath(_clientId, Pkce.New(), redirect: "https://evil.example/cb"), "not one this client registered");

    [Fact]
    public async Task Authorize_RedirectUriWithDifferentPath_ShowsErrorPage_NoRedirect() =>
        await AssertErrorPageAsync(OAuthTestServer.AuthorizePath(_clientId, Pkce.New(), redirect: "http://127.0.0.1/other"), "not one this client registered");

    [Fact]
    public async Task Authorize_MissingRedirectUri_ShowsErrorPage_NoRedirect() =>
        await AssertErrorPageAsync($"/oauth2-1/authorize?response_type=code&client_id={_clientId}", "redirect_uri parameter is missing");

    [Fact]
    public async Task Authorize_LoopbackRedirectOnAnyPort_Matches()
    {
        var response = await _alice.GetAsync(OAuthTestServer.AuthorizePath(_clientId, Pkce.New(), redirect: "http://127.0.0.1:49152/callback"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Authorize_UnsupportedResponseType_RedirectsUnsupportedResponseType()
    {
        var q = await RedirectErrorAsync(OAuthTestServer.AuthorizePath(_clientId, Pkce.New(), extra: new Dictionary<string, string> { ["response_type"] = "token" }));
        Assert.Equal("unsupported_response_type", q["error"]);
        Assert.Equal("st-123", q["state"]);
    }

    [Fact]
    public async Task Authorize_MissingResponseType_RedirectsInvalidRequest()
    {
        var path = OAuthTestServer.AuthorizePath(_clientId, Pkce.New()).Replace("response_type=code&", "", StringComparison.Ordinal);
        var q = await RedirectErrorAsync(path);
        Assert.Equal("invalid_request", q["error"]);
        Assert.Contains("response_type parameter is missing", q["error_description"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_StateTooLong_RedirectsInvalidRequestWithoutEchoingIt()
    {
        var q = await RedirectErrorAsync(OAuthTestServer.AuthorizePath(_clientId, Pkce.New(), state: new string('s', 1001)));
        Assert.Equal("invalid_request", q["error"]);
        Assert.False(q.ContainsKey("state"));
    }

    [Fact]
    public async Task Authorize_MissingCodeChallenge_RedirectsInvalidRequest()
    {
        var path = OAuthTestServer.AuthorizePath(_clientId, Pkce.New()).Replace("code_challenge=", "x_challenge=", StringComparison.Ordinal);
        var q = await RedirectErrorAsync(path);
        Assert.Equal("invalid_request", q["error"]);
        Assert.Contains("code_challenge is required", q["error_description"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("this-challenge-has-spaces-and-is-long-enough-to-count ok")]
    public async Task Authorize_MalformedCodeChallenge_RedirectsInvalidRequest(string challenge)
    {
        var q = await RedirectErrorAsync(OAuthTestServer.AuthorizePath(_clientId, new Pkce("", challenge)));
        Assert.Equal("invalid_request", q["error"]);
        Assert.Contains("43 to 128", q["error_description"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_PlainChallengeMethod_RedirectsInvalidRequest()
    {
        var q = await RedirectErrorAsync(OAuthTestServer.AuthorizePath(_clientId, Pkce.New(), extra: new Dictionary<string, string> { ["code_challenge_method"] = "plain" }));
        Assert.Equal("invalid_request", q["error"]);
        Assert.Contains("S256", q["error_description"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_UnknownScope_RedirectsInvalidScope()
    {
        var q = await RedirectErrorAsync(OAuthTestServer.AuthorizePath(_clientId, Pkce.New(), scope: "content:read admin:everything"));
        Assert.Equal("invalid_scope", q["error"]);
        Assert.Equal("st-123", q["state"]);
    }

    [Fact]
    public async Task Authorize_ScopeBeyondRegistration_RedirectsInvalidScope()
    {
        var narrow = await _s.RegisterClientAsync(scope: "content:read");
        var response = await _alice.GetAsync(OAuthTestServer.AuthorizePath(narrow, Pkce.New(), scope: "content:write"));
        Assert.Equal("invalid_scope", OAuthTestServer.QueryOf(response.Headers.Location!)["error"]);
    }

    [Fact]
    public async Task Authorize_OfflineAccess_IsAcceptedAndIgnored()
    {
        var response = await _alice.GetAsync(OAuthTestServer.AuthorizePath(_clientId, Pkce.New(), scope: "content:read offline_access"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("data-scope=\"content:read\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("offline_access\"", html.Replace("name=\"scope\" value=\"content:read offline_access\"", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_ForeignResource_RedirectsInvalidTarget()
    {
        var q = await RedirectErrorAsync(OAuthTestServer.AuthorizePath(_clientId, Pkce.New(), resource: "https://elsewhere.example/mcp"));
        Assert.Equal("invalid_target", q["error"]);
    }

    [Fact]
    public async Task Authorize_UnknownSiteResource_RedirectsInvalidTarget()
    {
        var q = await RedirectErrorAsync(OAuthTestServer.AuthorizePath(_clientId, Pkce.New(), resource: _s.SiteEndpoint("no-such-site")));
        Assert.Equal("invalid_target", q["error"]);
    }

    [Fact]
    public async Task Authorize_RepeatedParameter_RedirectsInvalidRequest()
    {
        var q = await RedirectErrorAsync(OAuthTestServer.AuthorizePath(_clientId, Pkce.New()) + "&scope=content:read");
        Assert.Equal("invalid_request", q["error"]);
        Assert.Contains("scope parameter is repeated", q["error_description"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_SignedOut_RedirectsToLoginWithTheRequest()
    {
        var path = OAuthTestServer.AuthorizePath(_clientId, Pkce.New());
        var response = await _s.Anonymous().GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login?ReturnUrl=" + Uri.EscapeDataString(path), response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Consent_Deny_RedirectsAccessDenied()
    {
        var response = await OAuthTestServer.DecideAsync(_alice, OAuthTestServer.AuthorizePath(_clientId, Pkce.New()), "deny");
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var q = OAuthTestServer.QueryOf(response.Headers.Location!);
        Assert.Equal("access_denied", q["error"]);
        Assert.Equal("st-123", q["state"]);
        Assert.Equal(_s.BaseUrl, q["iss"]);
    }

    [Fact]
    public async Task Consent_PostWithoutAntiforgeryToken_IsRefused()
    {
        var fields = new Dictionary<string, string>
        {
            ["response_type"] = "code", ["client_id"] = _clientId, ["redirect_uri"] = OAuthTestServer.Redirect,
            ["code_challenge"] = Pkce.New().Challenge, ["code_challenge_method"] = "S256", ["decision"] = "approve", ["site"] = "1",
        };
        var response = await _alice.PostAsync("/oauth2-1/authorize", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Consent_PostWithTamperedRedirect_IsRevalidated_NoRedirect()
    {
        var path = OAuthTestServer.AuthorizePath(_clientId, Pkce.New());
        var page = TestServer.Parse(await (await _alice.GetAsync(path)).Content.ReadAsStringAsync());
        var fields = page.QuerySelectorAll("form[action='/oauth2-1/authorize'] input[type=hidden]").Cast<AngleSharp.Html.Dom.IHtmlInputElement>().ToDictionary(i => i.Name!, i => i.Value);
        fields["redirect_uri"] = "https://evil.example/steal";
        fields["decision"] = "approve";
        var response = await _alice.PostAsync("/oauth2-1/authorize", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Consent_ApproveWithSiteNotOffered_IsRefusedWithMessage()
    {
        var response = await OAuthTestServer.DecideAsync(_alice, OAuthTestServer.AuthorizePath(_clientId, Pkce.New()), siteTitles: []);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Choose at least one of your sites", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consent_UserWithoutSites_SaysHowToGetOne_OffersNoApprove_RefusesAnApproval()
    {
        await _s.Server.CreateUserAsync("carol", "a long secret phrase");
        var carol = await _s.Server.SignedInClientAsync("carol", "a long secret phrase");
        var path = OAuthTestServer.AuthorizePath(_clientId, Pkce.New());
        var page = TestServer.Parse(await (await carol.GetAsync(path)).Content.ReadAsStringAsync());
        Assert.Contains("pressmcp site add-user --site SITE --login carol", page.QuerySelector("[data-no-site]")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.QuerySelectorAll("button[value=approve]"));
        Assert.Single(page.QuerySelectorAll("button[value=deny]"));

        // A crafted approval is refused by the server all the same, and issues no code.
        var fields = page.QuerySelectorAll("form[action='/oauth2-1/authorize'] input[type=hidden]").Cast<AngleSharp.Html.Dom.IHtmlInputElement>().ToDictionary(i => i.Name!, i => i.Value);
        fields["decision"] = "approve";
        var response = await carol.PostAsync("/oauth2-1/authorize", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.NotNull(TestServer.Parse(await response.Content.ReadAsStringAsync()).QuerySelector("[data-no-site]"));
    }

    [Fact]
    public async Task Consent_Sites_AtLeastOneRequiredInThePage()
    {
        // Alice has two sites: the group asks for one (the page's script), and one site alone is a required box.
        var both = TestServer.Parse(await (await _alice.GetAsync(OAuthTestServer.AuthorizePath(_clientId, Pkce.New()))).Content.ReadAsStringAsync());
        Assert.NotNull(both.QuerySelector("fieldset[data-require-one] input[name=site]"));
        Assert.NotNull(both.QuerySelector("script[src='/assets/forms.js']"));
        var one = TestServer.Parse(await (await _alice.GetAsync(OAuthTestServer.AuthorizePath(_clientId, Pkce.New(), resource: _s.SiteEndpoint("kitchen")))).Content.ReadAsStringAsync());
        Assert.True(one.QuerySelector("input[name=site]")!.HasAttribute("required"));
        Assert.True(one.QuerySelector("button[value=deny]")!.HasAttribute("formnovalidate"));
    }

    [Fact]
    public async Task Consent_SiteEndpoint_OffersOnlyThatSite()
    {
        var response = await _alice.GetAsync(OAuthTestServer.AuthorizePath(_clientId, Pkce.New(), resource: _s.SiteEndpoint("kitchen")));
        var boxes = TestServer.Parse(await response.Content.ReadAsStringAsync()).QuerySelectorAll("input[name=site]");
        Assert.Single(boxes);
        Assert.Contains("Kitchen", boxes[0].ParentElement!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consent_InternationalRedirectHost_ShownInPunycodeWithWarning()
    {
        // "сlaude.ai" with a Cyrillic "с" (U+0441): it must not pass for claude.ai.
        const string redirect = "https://\u0441laude.ai/callback";
        var clientId = await _s.RegisterClientAsync(redirect: redirect, name: "Claude");
        var response = await _alice.GetAsync(OAuthTestServer.AuthorizePath(clientId, Pkce.New(), redirect: redirect));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = TestServer.Parse(await response.Content.ReadAsStringAsync());
        var ascii = new System.Globalization.IdnMapping().GetAscii("\u0441laude.ai");
        Assert.StartsWith("xn--", ascii, StringComparison.Ordinal);
        Assert.Equal(ascii, page.QuerySelector("[data-redirect-host]")!.TextContent);
        Assert.Contains(ascii, page.QuerySelector("[data-warning=international-host]")!.TextContent, StringComparison.Ordinal);

        // A plain ASCII host gets no such warning.
        var plain = TestServer.Parse(await (await _alice.GetAsync(OAuthTestServer.AuthorizePath(_clientId, Pkce.New()))).Content.ReadAsStringAsync());
        Assert.Null(plain.QuerySelector("[data-warning=international-host]"));
    }
}
