using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using PressMcp.Activity;
using PressMcp.Content;
using PressMcp.Abilities;

namespace PressMcp.Tests.Media;

/// <summary><c>media/upload</c> through the real invoker: what is stored, what is refused, and who may upload.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class MediaUploadAbilityTests(MediaFixture f) : IClassFixture<MediaFixture>
{
    [Fact]
    public async Task Upload_Png_StoresFileAttachmentHashDimensionsAndChangeRecord()
    {
        var bytes = MediaSamples.Png(3, 2);
        var result = await f.UploadOkAsync("alice", bytes, "Red Square.png", new { title = "A red square", alt_text = "red", caption = "Seen from above" });

        var id = result.GetProperty("id").GetInt64();
        var url = result.GetProperty("url").GetString()!;
        Assert.Matches(@"/sites/garden/wp-content/uploads/\d{4}/\d{2}/red-square(-\d+)?\.png$", url);
        Assert.Equal("image/png", result.GetProperty("mime_type").GetString());
        Assert.Equal(3, result.GetProperty("width").GetInt32());
        Assert.Equal(2, result.GetProperty("height").GetInt32());
        Assert.Equal(bytes.Length, result.GetProperty("size").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), result.GetProperty("sha256").GetString());

        var siteId = await f.SiteIdAsync("garden");
        var (post, file, changes) = await f.DbAsync(async db => (
            await db.Posts.SingleAsync(p => p.SiteId == siteId && p.Id == id),
            await db.MediaFiles.SingleAsync(m => m.SiteId == siteId && m.PostId == id),
            await db.ChangeRecords.Where(c => c.SiteId == siteId && c.ObjectType == "media" && c.ObjectId == id).ToListAsync()));
        Assert.Equal(PostTypes.Attachment, post.Type);
        Assert.Equal(PostStatuses.Inherit, post.Status);
        Assert.Equal("A red square", post.Title);
        Assert.Equal("Seen from above", post.Excerpt);
        Assert.Equal(await f.Harness.UserIdAsync("alice"), post.AuthorId);
        Assert.Equal("red", file.AltText);
        Assert.Equal("Red Square.png", file.FileName);
        Assert.Equal(result.GetProperty("sha256").GetString(), file.ContentHash);
        var onDisk = Path.Combine(f.MediaRoot, siteId.ToString(System.Globalization.CultureInfo.InvariantCulture), file.StoragePath!);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(onDisk));
        Assert.Equal("create", Assert.Single(changes).Action);
    }

    [Fact]
    public async Task Upload_SameNameTwice_SecondGetsASuffix()
    {
        var first = await f.UploadOkAsync("alice", MediaSamples.Gif(4, 4), "twice.gif");
        var second = await f.UploadOkAsync("alice", MediaSamples.Gif(4, 4), "twice.gif");
        Assert.EndsWith("/twice.gif", first.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("/twice-2.gif", second.GetProperty("url").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("html", "innocent.jpg", "an HTML document")]
    [InlineData("exe", "setup.pdf", "a Windows executable")]
    [InlineData("zip", "archive.docx", "a ZIP archive")]
    [InlineData("docm", "macros.docx", "a macro-enabled Office document")]
    public async Task Upload_DisallowedContent_IsRefusedNamingWhatItIs_AndNothingIsStored(string sample, string name, string description)
    {
        var before = await f.DbAsync(db => db.MediaFiles.CountAsync());
        var result = await f.UploadAsync("alice", FileSnifferTests.Sample(sample), name);
        Assert.Equal(CallOutcome.Invalid, result.Outcome);
        Assert.Contains($"its content is {description}", result.Message, StringComparison.Ordinal);
        Assert.Equal(before, await f.DbAsync(db => db.MediaFiles.CountAsync()));
        Assert.DoesNotContain(Directory.EnumerateFiles(f.MediaRoot, "*", SearchOption.AllDirectories), p => p.Contains(Path.GetFileNameWithoutExtension(name), StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(f.MediaRoot, ".incoming")));
    }

    [Fact]
    public async Task Upload_OverTheLimit_IsRefusedNamingTheLimit()
    {
        var big = new byte[MediaFixture.Limit + 1];
        MediaSamples.Pdf().CopyTo(big, 0);
        var result = await f.UploadAsync("alice", big, "big.pdf");
        Assert.Equal(CallOutcome.Invalid, result.Outcome);
        Assert.Equal("the file is larger than the upload limit of 64 KB (65536 bytes)", result.Message);
        var exact = new byte[MediaFixture.Limit];
        MediaSamples.Pdf().CopyTo(exact, 0);
        Assert.True((await f.UploadAsync("alice", exact, "exact.pdf")).Succeeded);
    }

    [Fact]
    public async Task Upload_BadInput_IsRefusedWithTheReason()
    {
        var bad = await f.Harness.CallAsync("alice", "media/upload", new { data = "not base64 !!", filename = "x.png" });
        Assert.Equal("data is not valid base64", bad.Message);
        var missing = await f.Harness.CallAsync("alice", "media/upload", new { data = "AAAA" });
        Assert.Equal("invalid arguments: filename is required", missing.Message);
        var empty = await f.UploadAsync("alice", [], "empty.png");
        Assert.Equal("invalid arguments: data must not be empty", empty.Message);
        var folder = await f.UploadAsync("alice", MediaSamples.Pdf(), "x.pdf", new { folder_id = "No/Such/Folder" });
        Assert.Equal(CallOutcome.NotFound, folder.Outcome);
        Assert.Equal("no top-level media folder named 'No'", folder.Message);
    }

    [Fact]
    public async Task Upload_DataUrl_DeclaredTypeIsIgnored()
    {
        var r = await f.Harness.OkAsync("alice", "media/upload", new { data = "data:text/html;base64," + Convert.ToBase64String(MediaSamples.Pdf()), filename = "doc" });
        Assert.Equal("application/pdf", r.GetProperty("mime_type").GetString());
        Assert.EndsWith(".pdf", r.GetProperty("url").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("connie")]
    [InlineData("sam")]
    public async Task Upload_WithoutUploadFiles_IsRefusedNamingTheCapability(string login)
    {
        var result = await f.UploadAsync(login, MediaSamples.Png(1, 1), "no.png");
        Assert.Equal(CallOutcome.Refused, result.Outcome);
        Assert.Contains("lacks the capability upload_files", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_Author_MayUpload_ButNotAttachToSomeoneElsesPost()
    {
        Assert.True((await f.UploadAsync("arthur", MediaSamples.Png(2, 2), "mine.png")).Succeeded);
        var postId = await CreatePostAsync("alice", PostStatuses.Draft);
        var attach = await f.UploadAsync("arthur", MediaSamples.Png(2, 2), "theirs.png", new { post_id = postId });
        Assert.Equal(CallOutcome.Refused, attach.Outcome);
        Assert.Contains("edit_others_posts", attach.Message, StringComparison.Ordinal);
        var own = await f.UploadOkAsync("alice", MediaSamples.Png(2, 2), "attached.png", new { post_id = postId });
        var siteId = await f.SiteIdAsync("garden");
        var id = own.GetProperty("id").GetInt64();
        Assert.Equal(postId, await f.DbAsync(db => db.Posts.Where(p => p.SiteId == siteId && p.Id == id).Select(p => p.ParentId).FirstAsync()));
    }

    [Fact]
    public async Task Upload_ToAnotherSite_NeedsMembership()
    {
        var r = await f.UploadAsync("alice", MediaSamples.Png(1, 1), "kitchen.png", site: "kitchen");
        // Alice is a contributor on kitchen: no upload_files there.
        Assert.Contains("upload_files", r.Message, StringComparison.Ordinal);
    }

    internal async Task<long> CreatePostAsync(string login, string status)
    {
        var siteId = await f.SiteIdAsync("garden");
        var author = await f.Harness.UserIdAsync(login);
        await using var scope = f.Harness.Services.CreateAsyncScope();
        var site = await scope.ServiceProvider.GetRequiredService<PressMcp.Storage.PressDbContext>().Sites.SingleAsync(s => s.Id == siteId);
        var post = await new ContentSeed(scope.ServiceProvider).CreateAsync(site, new NewPost { Title = "Post " + Guid.NewGuid().ToString("N")[..6], Status = status, AuthorId = author });
        return post.Value!.Id;
    }
}
