namespace PressMcp.Sites;

/// <summary>
/// The post addresses a site may choose, WordPress's common settings, each spelled as WordPress stores it in
/// <c>permalink_structure</c> (plain is the empty string). Pages, categories and tags keep their paths whatever is
/// chosen. Every shape is understood on every site, so links made under an earlier choice lead to the post's
/// current address (a permanent redirect) instead of breaking.
/// </summary>
internal static class Permalinks
{
    public const string Plain = "";
    public const string DayAndName = "/%year%/%monthnum%/%day%/%postname%/";
    public const string MonthAndName = "/%year%/%monthnum%/%postname%/";
    public const string Numeric = "/archives/%post_id%";
    public const string PostName = "/%postname%/";

    /// <summary>The first segment of numeric addresses (<c>/archives/123</c>); a page path wins only when no digits follow.</summary>
    public const string ArchivesSegment = "archives";

    public static IReadOnlyList<string> All { get; } = [Plain, DayAndName, MonthAndName, Numeric, PostName];

    /// <summary>The name WordPress's Permalinks screen gives each choice.</summary>
    public static string Label(string structure) => structure switch
    {
        Plain => "Plain",
        DayAndName => "Day and name",
        MonthAndName => "Month and name",
        Numeric => "Numeric",
        PostName => "Post name",
        _ => structure,
    };
}
