namespace PressMcp.Content.Search;

internal enum PostOrder
{
    /// <summary>Best match first when there is query text; newest first otherwise.</summary>
    Relevance,
    Date,
    Modified,
    Title,
}

/// <summary>What to find: query text over title, content and excerpt, filters, order and page.</summary>
internal sealed record PostQuery
{
    public const int MaxPerPage = Paging.MaxPerPage;
    public const int DefaultPerPage = 10;
    public const int MaxTerms = 10;

    public string? Text { get; init; }
    public IReadOnlyList<string> Types { get; init; } = [PostTypes.Post];
    /// <summary>Null: every status the reader may see. Otherwise intersected with what they may see.</summary>
    public IReadOnlyList<string>? Statuses { get; init; }
    public long? AuthorId { get; init; }
    /// <summary>Posts in this category or any of its descendants, as WordPress's <c>cat</c>.</summary>
    public long? CategoryId { get; init; }
    public long? TagId { get; init; }
    public DateTime? AfterUtc { get; init; }
    public DateTime? BeforeUtc { get; init; }
    public string? MetaKey { get; init; }
    /// <summary>With <see cref="MetaKey"/>: the exact value the custom field must have.</summary>
    public string? MetaValue { get; init; }
    public long? ParentId { get; init; }
    /// <summary>Only sticky posts (true) or only others (false); null: both.</summary>
    public bool? Sticky { get; init; }
    public PostOrder OrderBy { get; init; } = PostOrder.Relevance;
    public bool Ascending { get; init; }
    public int Page { get; init; } = 1;
    public int PerPage { get; init; } = DefaultPerPage;

    /// <summary>Null when the query is acceptable, otherwise what is wrong with it.</summary>
    public string? Validate()
    {
        if (Paging.Check(Page, PerPage) is { } paging) return paging;
        if (Types.Count == 0) return "at least one post type is needed";
        foreach (var t in Types)
            if (!PostTypes.IsContent(t)) return $"unknown post type '{t}' (use post or page)";
        if (Statuses is not null)
            foreach (var s in Statuses)
                if (!PostStatuses.All.Contains(s)) return $"unknown status '{s}' (use {string.Join(", ", PostStatuses.All)})";
        if (AfterUtc is { } a && BeforeUtc is { } b && a > b) return "after must be earlier than before";
        if (MetaValue is not null && string.IsNullOrEmpty(MetaKey)) return "a custom-field value needs its key";
        if (Text is { Length: > 500 }) return "the search text is longer than 500 characters";
        return null;
    }

    /// <summary>
    /// The words of the query text, as both indexes tokenize: runs of letters and digits, lower-cased, each once,
    /// without stop words unless nothing else is left (<see cref="SearchStopWords"/>), at most <see cref="MaxTerms"/>.
    /// Only these reach the full-text engines, so no query syntax (quotes, operators) can be injected.
    /// </summary>
    public IReadOnlyList<string> Terms()
    {
        if (string.IsNullOrWhiteSpace(Text)) return [];
        var terms = new List<string>();
        var start = -1;
        for (var i = 0; i <= Text.Length; i++)
        {
            var isWord = i < Text.Length && char.IsLetterOrDigit(Text[i]);
            if (isWord && start < 0) start = i;
            else if (!isWord && start >= 0)
            {
                var term = Text[start..i].ToLowerInvariant();
                if (!terms.Contains(term)) terms.Add(term);
                start = -1;
            }
        }
        var meaningful = SearchStopWords.Without(terms);
        return meaningful.Count > MaxTerms ? meaningful.Take(MaxTerms).ToList() : meaningful;
    }

    public bool HasText => !string.IsNullOrWhiteSpace(Text);

    /// <summary>The rows before the page's first, in long (see <see cref="Paging"/>).</summary>
    public long Offset => new Paging(Page, PerPage).Offset;
}

/// <summary>
/// One page of results and the total number of matches. With query text the total is exact up to
/// <see cref="SearchRanking.ExactTotalLimit"/>; above it, it is that limit and <see cref="TotalIsLowerBound"/> is true
/// (as Elasticsearch's default <c>track_total_hits</c>): counting every one of 90,000 matches cost more than finding the
/// page. A listing without text is always counted exactly.
/// </summary>
internal sealed record PostPage(IReadOnlyList<Post> Items, long Total, int Page, int PerPage, bool TotalIsLowerBound = false)
{
    /// <summary>The pages the total fills; with a lower bound, at least one more than a full page, so the next page stays reachable.</summary>
    public int TotalPages => Math.Max((int)Math.Ceiling(Total / (double)PerPage), TotalIsLowerBound && Items.Count == PerPage ? Page + 1 : 0);
}
