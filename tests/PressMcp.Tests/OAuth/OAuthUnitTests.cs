using System.Net;
using PressMcp.OAuth;
using PressMcp.OAuth.Clients;

namespace PressMcp.Tests.OAuth;

/// <summary>The pure rules: scopes, redirect URIs, addresses, PKCE and hashing.</summary>
[Trait(Category.Name, Category.Unit)]
public sealed class OAuthUnitTests
{
    [Fact]
    public void Scopes_ExpandAuth_IsEverySpecificScope()
    {
        var all = Scopes.Expand("auth");
        Assert.Equal(11, all.Count);
        Assert.Contains("users:read", all);
        Assert.DoesNotContain("auth", all);
        Assert.Equal(["content:read"], Scopes.Expand("content:read offline_access bogus"));
    }

    [Fact]
    public void Scopes_IsWithin_AuthCoversAll_SpecificCoversOnlyItself()
    {
        Assert.True(Scopes.IsWithin("content:read media:write", "auth"));
        Assert.True(Scopes.IsWithin("auth", "auth"));
        Assert.False(Scopes.IsWithin("auth", "content:read"));
        Assert.False(Scopes.IsWithin("content:write", "content:read"));
    }

    [Fact]
    public void Scopes_EveryScopeHasASentence()
    {
        Assert.All(Scopes.Specific, s => Assert.False(string.IsNullOrWhiteSpace(s.Description)));
        Assert.Equal(Scopes.Specific.Count + 1, Scopes.Describe("auth").Count);
        Assert.Equal("x", Scopes.FirstUnknown(["offline_access", "x"]));
    }

    [Theory]
    [InlineData("http://localhost/callback", "http://localhost:53682/callback", true)]
    [InlineData("http://127.0.0.1:1234/cb", "http://127.0.0.1:9999/cb", true)]
    [InlineData("http://[::1]/cb", "http://[::1]:8080/cb", true)]
    [InlineData("http://localhost/callback", "http://localhost:53682/other", false)]
    [InlineData("http://localhost/callback", "http://127.0.0.1/callback", false)]
    [InlineData("https://app.example/cb", "https://app.example:8443/cb", false)]
    [InlineData("https://app.example/cb", "https://app.example/cb?x=1", false)]
    [InlineData("https://app.example/cb", "https://APP.example/cb", false)]
    [InlineData("cursor://anysphere.cursor-mcp/oauth/callback", "cursor://anysphere.cursor-mcp/oauth/callback", true)]
    public void RedirectUris_Matches_ExactExceptLoopbackPort(string registered, string requested, bool expected) =>
        Assert.Equal(expected, RedirectUris.Matches(registered, requested));

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("172.16.5.4", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("64:ff9b::a00:1", false)]
    [InlineData("64:ff9b:1::a00:1", false)]
    [InlineData("64:ff9b:1:ffff::5db8:d822", false)]
    [InlineData("2002:a00:1::1", false)]
    [InlineData("2002:c0a8:101::1", false)]
    [InlineData("2002:7f00:1::1", false)]
    [InlineData("fec0::1", false)]
    [InlineData("feff::1", false)]
    [InlineData("::a00:1", false)]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", false)]
    [InlineData("93.184.216.34", true)]
    [InlineData("2606:2800:220:1:248:1893:25c8:1946", true)]
    [InlineData("2002:5db8:d822::1", true)]
    public void PublicAddressPolicy_AllowsOnlyPublicAddresses(string address, bool allowed) =>
        Assert.Equal(allowed, new PublicAddressPolicy().Allows(IPAddress.Parse(address)));

    [Fact]
    public void Pkce_S256_VerifiesOnlyTheRightVerifier()
    {
        var pkce = Pkce.New();
        Assert.True(Secrets.VerifiesChallenge(pkce.Verifier, pkce.Challenge));
        Assert.False(Secrets.VerifiesChallenge(Pkce.New().Verifier, pkce.Challenge));
        // RFC 7636 Appendix B test vector.
        Assert.True(Secrets.VerifiesChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
    }

    [Theory]
    [InlineData("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", true)]
    [InlineData("too-short", false)]
    [InlineData("has a space has a space has a space has a space", false)]
    public void Pkce_ValueRules(string value, bool valid) => Assert.Equal(valid, Secrets.IsPkceValue(value));

    [Fact]
    public void Handles_AreRandomAndHashedWithSha256()
    {
        var a = Secrets.NewHandle(Secrets.AccessTokenPrefix);
        Assert.StartsWith("pmat_", a, StringComparison.Ordinal);
        Assert.NotEqual(a, Secrets.NewHandle(Secrets.AccessTokenPrefix));
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Secrets.Hash("abc"));
    }

    [Fact]
    public void MetadataUrl_InsertsWellKnownBeforeThePath()
    {
        Assert.Equal("https://p.example/.well-known/oauth-protected-resource/wpcom/v2/mcp/v1", McpResources.MetadataUrlFor("https://p.example/wpcom/v2/mcp/v1"));
        Assert.Equal("https://blog.example.com/.well-known/oauth-protected-resource/wp-json/mcp/mcp-adapter-default-server",
            McpResources.MetadataUrlFor("https://blog.example.com/wp-json/mcp/mcp-adapter-default-server"));
    }
}
