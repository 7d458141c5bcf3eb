using System.Text.Json;
using PressMcp.Media;

namespace PressMcp.Tests.Media;

/// <summary>Folder references and names, rule conditions and folder suggestions: pure logic, no storage.</summary>
[Trait(Category.Name, Category.Unit)]
public sealed class FolderLogicTests
{
    [Fact]
    public void FolderRef_IntegerIsAnId_StringIsAPath()
    {
        Assert.Equal(12, FolderRef.From(JsonSerializer.SerializeToElement(12))!.Id);
        var path = FolderRef.From(JsonSerializer.SerializeToElement("/Photos/ 2026 //Trips/"))!;
        Assert.Null(path.Id);
        Assert.Equal(["Photos", "2026", "Trips"], path.Path);
        Assert.True(FolderRef.From(JsonSerializer.SerializeToElement(0))!.IsTop);
        Assert.True(FolderRef.From(JsonSerializer.SerializeToElement("/"))!.IsTop);
        Assert.False(FolderRef.From(JsonSerializer.SerializeToElement("2026"))!.IsTop);
    }

    [Theory]
    [InlineData("Photos", null)]
    [InlineData("  ", "a folder name must not be empty")]
    [InlineData("a/b", "a folder name cannot contain '/' (it separates the names in a folder path)")]
    [InlineData("..", "a folder cannot be named '.' or '..'")]
    [InlineData("tab\there", "a folder name cannot contain control characters")]
    public void FolderNames_Rules(string name, string? problem) => Assert.Equal(problem, FolderNames.Problem(name));

    [Fact]
    public void FolderNames_CompareWithoutCase() => Assert.Equal(FolderNames.Normalize(" PHOTOS "), FolderNames.Normalize("photos"));

    [Theory]
    [InlineData("*.jpg", "Beach.JPG", true)]
    [InlineData("IMG_????.*", "img_0042.png", true)]
    [InlineData("IMG_????.*", "img_42.png", false)]
    [InlineData("*invoice*", "2026-invoice-march.pdf", true)]
    [InlineData("a*b*c", "aXXbYYc", true)]
    [InlineData("a*b*c", "aXXbYY", false)]
    [InlineData("*", "", true)]
    public void Glob_MatchesFileNames(string pattern, string name, bool expected) => Assert.Equal(expected, RuleMatcher.Glob(pattern, name));

    [Theory]
    [InlineData(50)] // many stars: a backtracking matcher (or a regular expression) tries every split of the name among them
    [InlineData(1)] // one star before a long literal run
    public void Glob_PathologicalPattern_WorkGrowsLinearlyWithTheName(int stars)
    {
        var pattern = stars == 1 ? "*" + new string('a', 50) + "b" : string.Concat(Enumerable.Repeat("*a", stars)) + "b";
        var steps = new long[4];
        for (var i = 1; i <= 3; i++) Assert.False(RuleMatcher.Glob(pattern, new string('a', 5000 * i), out steps[i]));
        // Counted steps, not time, so a busy machine changes nothing: each further 5000 characters cost no more than
        // the 5000 before them (quadratic work would cost more each time).
        Assert.True(steps[3] - steps[2] <= steps[2] - steps[1], $"5000, 10000, 15000 characters took {steps[1]}, {steps[2]}, {steps[3]} steps");
    }

    private static MediaFacts Item(string name = "beach.jpg", string mime = "image/jpeg", long size = 1000, int? w = 800, int? h = 600, long? uploader = 7,
        string alt = "", string caption = "", DateTime? at = null, long? folder = null) =>
        new(1, name, mime, size, w, h, at ?? new DateTime(2026, 5, 14, 10, 0, 0, DateTimeKind.Utc), uploader, folder, Path.GetFileNameWithoutExtension(name), alt, caption);

    [Fact]
    public void Rule_EveryConditionMustHold()
    {
        var rule = new MediaRule { Name = "big photos", MimeType = "image/*", MinWidth = 500, MaxSizeBytes = 5000, UploaderId = 7 };
        Assert.True(RuleMatcher.Matches(rule, Item()));
        Assert.False(RuleMatcher.Matches(rule, Item(mime: "application/pdf")));
        Assert.False(RuleMatcher.Matches(rule, Item(w: 400)));
        Assert.False(RuleMatcher.Matches(rule, Item(w: null, h: null)));
        Assert.False(RuleMatcher.Matches(rule, Item(size: 6000)));
        Assert.False(RuleMatcher.Matches(rule, Item(uploader: 8)));
        var dated = new MediaRule { Name = "may", UploadedAfterUtc = new DateTime(2026, 5, 1, 0, 0, 0, DateTimeKind.Utc), UploadedBeforeUtc = new DateTime(2026, 5, 31, 0, 0, 0, DateTimeKind.Utc) };
        Assert.True(RuleMatcher.Matches(dated, Item()));
        Assert.False(RuleMatcher.Matches(dated, Item(at: new DateTime(2026, 6, 2, 0, 0, 0, DateTimeKind.Utc))));
        Assert.True(RuleMatcher.Matches(new MediaRule { Name = "exact", MimeType = "image/jpeg" }, Item()));
        Assert.False(RuleMatcher.Matches(new MediaRule { Name = "exact", MimeType = "image/png" }, Item()));
    }

    [Fact]
    public void Rule_HighestPriorityEnabledFirst()
    {
        MediaRule[] rules =
        [
            new() { Id = 1, Name = "low", Priority = 1, FolderId = 10 },
            new() { Id = 2, Name = "high but off", Priority = 9, Enabled = false, FolderId = 20 },
            new() { Id = 3, Name = "high", Priority = 5, FolderId = 30, MimeType = "image/*" },
        ];
        Assert.Equal("high", RuleMatcher.First(rules, Item())!.Name);
        Assert.Equal("low", RuleMatcher.First(rules, Item(mime: "application/pdf"))!.Name);
    }

    [Fact]
    public void Suggestions_ScoreNamesKindDateAndRules_WithReasons()
    {
        FolderInfo[] folders =
        [
            new(1, "Photos", null, "Photos", 0),
            new(2, "2026", 1, "Photos/2026", 0),
            new(3, "Beach", 2, "Photos/2026/Beach", 0),
            new(4, "Invoices", null, "Invoices", 0),
            new(5, "Logos", null, "Logos", 0),
        ];
        var rules = new List<MediaRule> { new() { Id = 9, Name = "jpegs to logos", MimeType = "image/jpeg", FolderId = 5 } };
        var item = Item(name: "beach-sunset.jpg", alt: "Sunset over the beach", caption: "Trip with friends");
        var suggestions = FolderSuggestions.Suggest(item, folders, rules, 5);

        Assert.Equal([5, 3, 2, 1], suggestions.Select(s => (int)s.FolderId));
        Assert.Equal(50, suggestions[0].Score);
        Assert.Contains(suggestions[0].Reasons, r => r.Contains("rule 'jpegs to logos'", StringComparison.Ordinal));
        var beach = suggestions[1];
        // beach (+10), parent 2026 (year, +3), grandparent Photos (kind, +4)
        Assert.Equal(17, beach.Score);
        Assert.Contains(beach.Reasons, r => r.StartsWith("'beach' in the file name or title matches the folder name", StringComparison.Ordinal));
        Assert.DoesNotContain(suggestions, s => s.FolderId == 4);
        Assert.Single(FolderSuggestions.Suggest(item, folders, rules, 1));
    }

    [Fact]
    public void Words_SplitCamelCaseAndPunctuation_FoldPlurals_DropCounters() =>
        Assert.Equal(["holiday", "photo", "2026", "party"], FolderSuggestions.Words("HolidayPhotos_2026-IMG_0042 parties"));
}
