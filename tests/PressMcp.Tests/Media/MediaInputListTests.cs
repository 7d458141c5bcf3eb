using PressMcp.Abilities;
using System.Text.Json;
using PressMcp.Activity;

namespace PressMcp.Tests.Media;

/// <summary>
/// Lists in media inputs are bounded item by item, through the real adapter endpoint: an id below 1 or an unknown
/// cleanup reason is refused as invalid arguments naming the item, before anything runs.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class MediaInputListTests(MediaFixture f) : IClassFixture<MediaFixture>
{
    public static TheoryData<string, string> IdLists => new()
    {
        { "vmfo/add-to-folder", """{"folder_id":"Anywhere","attachment_ids":[3,0]}""" },
        { "vmfo/remove-from-folder", """{"folder_id":"Anywhere","attachment_ids":[3,0]}""" },
        { "vmfo-cleanup/archive", """{"attachment_ids":[3,0]}""" },
        { "vmfo-cleanup/trash", """{"result_ids":[3,0]}""" },
        { "vmfo-cleanup/delete", """{"attachment_ids":[3,0]}""" },
    };

    [Theory]
    [MemberData(nameof(IdLists))]
    public async Task IdList_ItemBelowOne_IsInvalidArgumentsNamingTheItem(string ability, string arguments)
    {
        var result = await f.Harness.CallAsync("alice", ability, JsonDocument.Parse(arguments).RootElement.Clone());
        Assert.Equal(CallOutcome.Invalid, result.Outcome);
        Assert.Contains("_ids[1] must be at least 1", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CleanupStart_UnknownReason_IsInvalidArgumentsNamingTheItem()
    {
        var result = await f.Harness.CallAsync("alice", "vmfo-cleanup/start-scan", new { types = new[] { "unused", "everything" } });
        Assert.Equal(CallOutcome.Invalid, result.Outcome);
        Assert.Contains("types[1] must be one of unused, duplicate, oversized", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_Base64InLinesOfADataUrl_StoresTheSameBytes()
    {
        var png = MediaSamples.Png(3, 2);
        var lines = Convert.ToBase64String(png, Base64FormattingOptions.InsertLineBreaks);
        var r = await f.Harness.OkAsync("alice", "media/upload", new { data = "data:image/png;base64," + lines, filename = "lines.png" });
        Assert.Equal(png.Length, r.GetProperty("size").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(png)), r.GetProperty("sha256").GetString());
    }
}
