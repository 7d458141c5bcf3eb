using Microsoft.Extensions.Primitives;
using PressMcp.OAuth.Model;

namespace PressMcp.OAuth.Authorization;

/// <summary>The parameters of an authorization request exactly as received (query on GET, hidden fields on POST).</summary>
internal sealed class AuthorizationParameters
{
    public static readonly string[] Names = ["response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method", "resource"];

    private readonly Dictionary<string, StringValues> _values;

    public AuthorizationParameters(IEnumerable<KeyValuePair<string, StringValues>> values) =>
        _values = values.Where(p => Names.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    public string? this[string name] => _values.TryGetValue(name, out var v) && v.Count == 1 ? v[0] : null;

    public bool IsRepeated(string name) => _values.TryGetValue(name, out var v) && v.Count > 1;

    public string? FirstRepeated() => _values.FirstOrDefault(p => p.Value.Count > 1).Key;

    /// <summary>Every single-valued parameter, for the consent form's hidden fields.</summary>
    public IEnumerable<KeyValuePair<string, string>> All() =>
        _values.Where(p => p.Value.Count == 1).Select(p => new KeyValuePair<string, string>(p.Key, p.Value[0] ?? ""));
}

/// <summary>An authorization request that passed every rule: only this reaches consent and code issuance.</summary>
internal sealed record ValidAuthorization(
    OAuthClient Client,
    string RedirectUri,
    string? State,
    string Scope,
    McpResource Resource,
    string CodeChallenge);
