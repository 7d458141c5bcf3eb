using System.Text.Json;
using PressMcp.Activity;
using PressMcp.Content.Abilities;
using PressMcp.Content.Search;
using PressMcp.Media.Abilities;
using PressMcp.Abilities;

namespace PressMcp.Tests.Mcp;

/// <summary>
/// <c>page</c> and <c>per_page</c> of every paged list, through the real adapter endpoint: a value outside the shared
/// bounds (<see cref="Paging"/>), however large, is refused as invalid arguments with a sentence naming the field, never
/// answered with another page, a negative page number or "could not complete this call".
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class PagingBoundsTests : IAsyncLifetime
{
    private AbilityHarness _h = null!;

    /// <summary>int's largest, one past it, a float far past long, below and at zero, and a number beyond 64 bits.</summary>
    public static TheoryData<string> OutOfBounds => ["2147483647", "2147483648", "1e30", "-1", "0", "36893488147419103232", "100001"];

    private static readonly string[] PagedAbilities = [PostSearchAbility.Name, CommentAbilities.Search, CleanupAbilities.Results, OrganizerAbilities.Status];

    public async ValueTask InitializeAsync()
    {
        _h = await AbilityHarness.StartAsync();
        await _h.EnableAsync("alice");
    }

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    private static JsonElement Arguments(string field, string number) =>
        JsonDocument.Parse($$"""{"{{field}}":{{number}}}""").RootElement.Clone();

    [Theory]
    [MemberData(nameof(OutOfBounds))]
    public async Task Page_OutOfBounds_IsInvalidArgumentsNamingPage(string page)
    {
        foreach (var ability in PagedAbilities)
        {
            var result = await _h.CallAsync("alice", ability, Arguments("page", page));
            Assert.Equal(CallOutcome.Invalid, result.Outcome);
            Assert.Contains("page", result.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("could not complete", result.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(OutOfBounds))]
    public async Task PerPage_OutOfBounds_IsInvalidArgumentsNamingPerPage(string perPage)
    {
        foreach (var ability in PagedAbilities)
        {
            var result = await _h.CallAsync("alice", ability, Arguments("per_page", perPage));
            Assert.Equal(CallOutcome.Invalid, result.Outcome);
            Assert.Contains("per_page", result.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("could not complete", result.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Page_AtTheBound_AnswersAnEmptyPageWithThatNumber()
    {
        foreach (var ability in new[] { PostSearchAbility.Name, CommentAbilities.Search })
        {
            var value = await _h.OkAsync("alice", ability, Arguments("page", Paging.MaxPage.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal(Paging.MaxPage, value.GetProperty("page").GetInt32());
            Assert.Equal(0, value.GetProperty(ability == PostSearchAbility.Name ? "posts" : "comments").GetArrayLength());
        }
    }

    [Fact]
    public void Schemas_BoundPageAndPerPage_InEveryPagedAbility()
    {
        var registry = _h.Services.GetRequiredService<PressMcp.Abilities.AbilityRegistry>();
        foreach (var name in PagedAbilities)
        {
            var properties = registry.Find(name)!.InputSchema.GetProperty("properties");
            Assert.Equal(Paging.MaxPage, properties.GetProperty("page").GetProperty("maximum").GetInt32());
            Assert.Equal(Paging.MaxPerPage, properties.GetProperty("per_page").GetProperty("maximum").GetInt32());
        }
    }

    [Fact]
    public void Offset_OfTheLargestPage_IsComputedWithoutOverflow() =>
        Assert.Equal((int.MaxValue - 1L) * Paging.MaxPerPage, new Paging(int.MaxValue, Paging.MaxPerPage).Offset);
}
