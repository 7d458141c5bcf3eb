using System.Text;

namespace PressMcp.Content.Search;

/// <summary>
/// What SQLite's full-text index knows about a post besides its words: its type, status and author, and whether it is
/// password-protected, as tokens of a fourth column, <c>facets</c>, filled from the posts column <c>search_facets</c>
/// (<see cref="SearchText.FacetsSql"/>, this class's <see cref="Of"/> in SQL). With them a statement can leave out what the reader may not
/// see inside FTS5 itself (<c>words NOT facets : (hidden)</c>), without looking each match up in the posts table: that
/// look-up cost about 2.5 µs a match, most of a search over a common word (docs/architecture.md, Search).
/// <para>
/// Every token starts with a private-use character. unicode61 keeps it as part of the token, and
/// <see cref="PostQuery.Terms"/> never yields one (it is neither a letter nor a digit), so no query word can equal a
/// facet token; statements still name the column, so words an author typed with that character cannot pose as facets.
/// </para>
/// <para>
/// Visibility is written as what to leave out, because FTS5 tests a NOT against the few hidden posts cheaply while an
/// AND with the many visible ones walks them all. So the set of possible tokens must be closed: a status or type this
/// class does not know is indexed as <c>other</c>, and <c>other</c> is always hidden.
/// </para>
/// </summary>
internal static class SearchFacets
{
    /// <summary>The types the index holds (the triggers' <c>type IN ('post', 'page')</c>).</summary>
    public static readonly IReadOnlyList<string> IndexedTypes = [PostTypes.Post, PostTypes.Page];

    private const char Mark = '\uE000';
    private const string Other = "other";

    // Every token but the author's, made once: every search asks for them.
    private static readonly Dictionary<string, string> TypeTokens = IndexedTypes.ToDictionary(t => t, t => Token('t', t));
    private static readonly Dictionary<string, string> StatusTokens = PostStatuses.All.ToDictionary(s => s, s => Token('s', s));
    private static readonly string OtherType = Token('t', Other);
    private static readonly string OtherStatus = Token('s', Other);

    /// <summary>The token of a password-protected post (a post without a password has none: its facets are as before).</summary>
    public static readonly string Protected = Token('p', "protected");

    /// <summary>The facets column of one post: its type, status and author tokens, and the protected token when it has a password.</summary>
    public static string Of(string? type, string? status, long? authorId, bool isProtected = false) =>
        isProtected ? $"{Type(type)} {Status(status)} {Author(authorId)} {Protected}" : $"{Type(type)} {Status(status)} {Author(authorId)}";

    public static string Type(string? type) => type is not null && TypeTokens.TryGetValue(type, out var token) ? token : OtherType;

    public static string Status(string? status) => status is not null && StatusTokens.TryGetValue(status, out var token) ? token : OtherStatus;

    public static string Author(long? authorId) => Token('a', (authorId ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A token as an FTS5 string (one token, quoted: no query syntax).</summary>
    public static string Quoted(string token) => "\"" + token + "\"";

    /// <summary>What a search of some types may not find for one reader: <see cref="Hidden"/> and <see cref="HiddenContent"/>.</summary>
    internal sealed record Visibility(string Hidden, bool NothingVisible, string? HiddenContent);

    /// <summary>Both expressions for a search of <paramref name="types"/> by <paramref name="reader"/> (kept by the reader, <see cref="ReadAccess.VisibilityOf"/>).</summary>
    public static Visibility VisibilityOf(IReadOnlyList<string> types, ReadAccess reader) =>
        new(Hidden(types, reader, out var nothingVisible), nothingVisible, HiddenContent(types, reader));

    /// <summary>
    /// The FTS5 expression (over the facets column) of the posts of <paramref name="types"/> the reader may not see,
    /// and of every other type; <paramref name="nothingVisible"/> when every post is hidden.
    /// </summary>
    public static string Hidden(IReadOnlyList<string> types, ReadAccess reader, out bool nothingVisible)
    {
        // A type the index does not know is indexed as other, and hidden like any type not asked for.
        var parts = new List<string> { Quoted(OtherType) };
        var asked = types.Where(t => IndexedTypes.Contains(t) && reader.ByType.ContainsKey(t)).Distinct().ToList();
        nothingVisible = asked.Count == 0;
        foreach (var type in IndexedTypes.Where(t => !asked.Contains(t))) parts.Add(Quoted(Type(type)));
        var perType = asked.Select(t => (Type: t, Statuses: HiddenStatuses(reader.ByType[t], reader.UserId))).ToList();
        if (perType.Select(p => p.Statuses).Distinct().Count() == 1)
        {
            // One rule for every type asked for (the usual case): no type token in the expression. A type token would
            // pair the status with the type by AND, against that type's (long) list.
            if (perType[0].Statuses.Length > 0) parts.Add(perType[0].Statuses);
        }
        else
        {
            foreach (var (type, statuses) in perType.Where(p => p.Statuses.Length > 0))
                parts.Add($"(({statuses}) AND {Quoted(Type(type))})");
        }
        return "facets : (" + string.Join(" OR ", parts) + ")";
    }

    /// <summary>
    /// The FTS5 expression (over the facets column) of the protected posts whose excerpt and content the reader may not
    /// search: those of <paramref name="types"/> they may not edit. Null when there are none (the reader edits every
    /// post of those types), so an editor's search carries nothing more. A statement keeps such a post only when every
    /// word is in its title (<c>words NOT (hidden content NOT title : words)</c>, PostSearch.Match).
    /// </summary>
    public static string? HiddenContent(IReadOnlyList<string> types, ReadAccess reader)
    {
        var asked = types.Where(t => IndexedTypes.Contains(t) && reader.ByType.ContainsKey(t)).Distinct().ToList();
        if (asked.All(reader.EditsAll)) return null;
        var perType = asked.Select(t => (Type: t, Statuses: Editable(reader.EditByType.GetValueOrDefault(t), reader.UserId))).ToList();
        string editable;
        if (perType.Select(p => p.Statuses).Distinct().Count() == 1)
        {
            editable = perType[0].Statuses;
        }
        else
        {
            editable = string.Join(" OR ", perType.Where(p => p.Statuses.Length > 0).Select(p => $"(({p.Statuses}) AND {Quoted(Type(p.Type))})"));
        }
        return editable.Length == 0 ? $"facets : ({Quoted(Protected)})" : $"facets : ({Quoted(Protected)} NOT ({editable}))";
    }

    /// <summary>Status tokens the reader may edit for every author, or only as the author (<c>(status AND me)</c>).</summary>
    private static string Editable(ReadAccess.TypeAccess? access, long? me)
    {
        if (access is null) return "";
        var parts = new List<string>();
        foreach (var (status, token) in StatusTokens)
        {
            if (access.AnyAuthor.Contains(status)) parts.Add(Quoted(token));
            else if (me is { } user && access.OwnOnly.Contains(status)) parts.Add($"({Quoted(token)} AND {Quoted(Author(user))})");
        }
        return string.Join(" OR ", parts);
    }

    /// <summary>
    /// Status tokens hidden for everyone, or for every author but the reader (<c>(status NOT me)</c>). Other is hidden
    /// whatever the access lists say (a status they named but this class does not know would map to it).
    /// </summary>
    private static string HiddenStatuses(ReadAccess.TypeAccess access, long? me)
    {
        var parts = new List<string>();
        foreach (var (status, token) in StatusTokens)
        {
            if (access.AnyAuthor.Contains(status)) continue;
            parts.Add(me is { } user && access.OwnOnly.Contains(status) ? $"({Quoted(token)} NOT {Quoted(Author(user))})" : Quoted(token));
        }
        parts.Add(Quoted(OtherStatus));
        return string.Join(" OR ", parts);
    }

    private static string Token(char kind, string value)
    {
        var token = new StringBuilder(value.Length + 2).Append(Mark).Append(kind);
        // unicode61 splits at anything but letters and digits ("auto-draft" would be two tokens): keep only those.
        foreach (var c in value)
            if (char.IsAsciiLetterOrDigit(c)) token.Append(char.ToLowerInvariant(c));
        return token.ToString();
    }
}
