using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Content.Search;

namespace PressMcp.Tests.Content;

/// <summary>
/// The facet tokens and the hidden-posts expression SQLite's search puts in every MATCH: closed (what the index does
/// not know is hidden), one token per fact, and unreachable by query words.
/// </summary>
[Trait(Category.Name, Category.Unit)]
public sealed class SearchFacetsTests
{
    [Fact]
    public void Facets_UnknownTypesAndStatusesBecomeOther_AndTokensAreSingleWordsOutsideQueryTerms()
    {
        Assert.Equal(SearchFacets.Status("wc-on-hold"), SearchFacets.Status(null));
        Assert.Equal(SearchFacets.Type("nav_menu_item"), SearchFacets.Type("revision"));
        Assert.NotEqual(SearchFacets.Status(PostStatuses.Draft), SearchFacets.Status("wc-on-hold"));
        var facets = SearchFacets.Of(PostTypes.Post, PostStatuses.Publish, 42);
        Assert.Equal(3, facets.Split(' ').Length);
        // Every token starts with a character PostQuery.Terms never keeps, so no query word equals one.
        foreach (var token in facets.Split(' '))
            Assert.DoesNotContain(token, new PostQuery { Text = token }.Terms());
        Assert.All(facets.Split(' '), t => Assert.Matches("^\uE000[a-z0-9]+$", t));
    }

    [Fact]
    public void Hidden_AlwaysNamesTheUnknown_AndOnlyWhatTheReaderMayNotSee()
    {
        var other = SearchFacets.Status("wc-on-hold");
        var editor = SearchFacets.Hidden([PostTypes.Post], ReadAccess.For(new SiteActor(7, false, Roles.Editor)), out var none);
        Assert.False(none);
        Assert.StartsWith("facets : (", editor, StringComparison.Ordinal);
        Assert.Contains(other, editor, StringComparison.Ordinal);
        Assert.Contains(SearchFacets.Type("revision"), editor, StringComparison.Ordinal);
        Assert.Contains(SearchFacets.Type(PostTypes.Page), editor, StringComparison.Ordinal);
        Assert.Contains(SearchFacets.Status(PostStatuses.Trash), editor, StringComparison.Ordinal);
        Assert.DoesNotContain(SearchFacets.Status(PostStatuses.Draft), editor, StringComparison.Ordinal);

        // An author reads others' posts only when published; their own drafts too.
        var author = SearchFacets.Hidden([PostTypes.Post], ReadAccess.For(new SiteActor(7, false, Roles.Author)), out _);
        Assert.Contains($"(\"{SearchFacets.Status(PostStatuses.Draft)}\" NOT \"{SearchFacets.Author(7)}\")", author, StringComparison.Ordinal);
        Assert.DoesNotContain($"\"{SearchFacets.Status(PostStatuses.Publish)}\"", author, StringComparison.Ordinal);

        // Visitors see published posts and pages; nothing else is visible, and asking for no known type shows nothing.
        var visitor = SearchFacets.Hidden([PostTypes.Post, PostTypes.Page], ReadAccess.Public, out _);
        Assert.DoesNotContain(SearchFacets.Type(PostTypes.Page), visitor, StringComparison.Ordinal);
        Assert.Contains(SearchFacets.Status(PostStatuses.Private), visitor, StringComparison.Ordinal);
        SearchFacets.Hidden(["attachment"], ReadAccess.Public, out var nothing);
        Assert.True(nothing);
    }

    [Fact]
    public void ReadAccess_MadeOncePerActor_ItsKeyAndExpressionsAsComputedEachTime()
    {
        var editor = ReadAccess.For(new SiteActor(7, false, Roles.Editor));
        Assert.Same(editor, ReadAccess.For(new SiteActor(7, false, Roles.Editor)));
        // Another role, user or the operator: another access.
        Assert.NotSame(editor, ReadAccess.For(new SiteActor(7, false, Roles.Author)));
        Assert.NotSame(editor, ReadAccess.For(new SiteActor(8, false, Roles.Editor)));
        Assert.NotSame(editor, ReadAccess.For(new SiteActor(7, true, Roles.Editor)));

        var author = ReadAccess.For(new SiteActor(7, false, Roles.Author));
        foreach (var reader in new[] { editor, author, ReadAccess.Public })
        {
            Assert.Equal(SearchResultCache.AccessKeyOf(reader), reader.CacheKey);
            foreach (IReadOnlyList<string> types in new[] { [PostTypes.Post], [PostTypes.Page], [PostTypes.Post, PostTypes.Page], new[] { "attachment" } })
            {
                var expected = SearchFacets.VisibilityOf(types, reader);
                Assert.Equal(expected, reader.VisibilityOf(types));
                Assert.Equal(expected, reader.VisibilityOf(types));
                Assert.Equal(SearchFacets.Hidden(types, reader, out var none), expected.Hidden);
                Assert.Equal(none, expected.NothingVisible);
                Assert.Equal(SearchFacets.HiddenContent(types, reader), expected.HiddenContent);
            }
        }
        // An author's search may not find others' protected posts by their content; an editor's may.
        Assert.Null(editor.VisibilityOf([PostTypes.Post]).HiddenContent);
        Assert.NotNull(author.VisibilityOf([PostTypes.Post]).HiddenContent);
    }
}
