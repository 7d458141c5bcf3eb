using System.Globalization;

namespace PressMcp.Storage.Sql;

/// <summary>
/// The rowid of a post in SQLite's full-text index (<c>posts_fts</c>): the site in the high 32 bits, the post's id in
/// the low ones. Post ids are per site, so the index needs one number for both, and packing the site first makes each
/// site one contiguous rowid range, which a search reads with <c>rowid BETWEEN</c> instead of a join. Every C# statement
/// that writes or reads these rowids takes them from here; the migrations' triggers write the same formula in SQL
/// (<see cref="SqlExpression"/>'s text).
/// </summary>
internal static class SearchRowId
{
    /// <summary>Rowids per site: 2^32, so a post id below it never reaches the next site's range.</summary>
    public const long SiteStride = 1L << 32;

    /// <summary>The rowid of post <paramref name="id"/> of site <paramref name="siteId"/>.</summary>
    public static long Of(long siteId, long id) => siteId * SiteStride + id;

    /// <summary>The first rowid of a site's range (the rowid its post 0 would have).</summary>
    public static long SiteStart(long siteId) => siteId * SiteStride;

    /// <summary>The last rowid of a site's range.</summary>
    public static long SiteEnd(long siteId) => SiteStart(siteId) + SiteStride - 1;

    /// <summary>
    /// The formula as SQL over the posts row's columns, <c>site_id * 4294967296 + id</c>, written from
    /// <see cref="SiteStride"/> so the two cannot differ.
    /// </summary>
    public static readonly string SqlExpression = string.Create(CultureInfo.InvariantCulture, $"site_id * {SiteStride} + id");
}
