using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Caching.Memory;

namespace PressMcp.Content;

/// <summary>
/// <see cref="ContentRenderer"/>'s results, kept: rendered HTML and automatic excerpts are a pure function of the
/// content (and the site's base URL), so each view of an unchanged post costs a hash and a lookup instead of a parse.
/// Keyed by the SHA-256 of the content, so an edit, an import or a direct database change is a new key (nothing to
/// invalidate, and several instances each keep their own) and no content can be made to collide with another's.
/// A bounded in-memory cache: at most <see cref="MaxCachedCharacters"/> characters of results (about 32 MB), the
/// least recently used dropped first; a result larger than that is computed and not kept.
/// </summary>
internal sealed class RenderedContent : IDisposable
{
    /// <summary>The characters of HTML and excerpts kept at most (UTF-16: two bytes each).</summary>
    public const long MaxCachedCharacters = 16L * 1024 * 1024;

    // What an entry costs besides its text: the key, the entry, the string headers.
    private const int EntryOverhead = 128;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = MaxCachedCharacters, CompactionPercentage = 0.25 });

    private readonly record struct Key(char Kind, string ContentHash, string? SiteBaseUrl);

    /// <summary>The page's HTML for <paramref name="raw"/> content (see <see cref="ContentRenderer.Render"/>).</summary>
    public string Html(string raw, string? siteBaseUrl, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(raw)) return "";
        return GetOrRender(new Key('h', Hash(raw), siteBaseUrl), () => ContentRenderer.Render(raw, siteBaseUrl, ct));
    }

    /// <summary>A list's excerpt of a post (see <see cref="ContentRenderer.Excerpt"/>); only the automatic one is kept, the author's is cheap.</summary>
    public string Excerpt(Post post, CancellationToken ct)
    {
        if (post.Excerpt.Trim().Length > 0) return ContentRenderer.AuthorExcerpt(post.Excerpt);
        if (string.IsNullOrWhiteSpace(post.Content)) return "";
        return GetOrRender(new Key('e', Hash(post.Content), null), () => ContentRenderer.AutomaticExcerpt(post.Content, ct: ct));
    }

    private string GetOrRender(Key key, Func<string> render)
    {
        if (_cache.TryGetValue(key, out string? kept) && kept is not null) return kept;
        var result = render();
        _cache.Set(key, result, new MemoryCacheEntryOptions { Size = result.Length + EntryOverhead });
        return result;
    }

    private static string Hash(string content)
    {
        // Hashing 4 Mi characters takes milliseconds; rendering them takes a second or more.
        return Convert.ToHexString(SHA256.HashData(MemoryMarshal.AsBytes(content.AsSpan())));
    }

    public void Dispose() => _cache.Dispose();
}
