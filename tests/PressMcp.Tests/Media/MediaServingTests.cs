using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using PressMcp.Content;

namespace PressMcp.Tests.Media;

/// <summary>Files at their public addresses over real HTTP: types, headers, ranges, caching, downloads for what could run, visibility.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class MediaServingTests(MediaFixture f) : IClassFixture<MediaFixture>
{
    private HttpClient Anonymous() => f.Harness.Server.Anonymous();

    private static string PathOf(string url) => new Uri(url).AbsolutePath;

    [Fact]
    public async Task Png_ServedWithTypeNosniffEtagAndRanges()
    {
        var bytes = MediaSamples.Png(4, 3);
        var uploaded = await f.UploadOkAsync("alice", bytes, "served.png");
        var path = PathOf(uploaded.GetProperty("url").GetString()!);

        var response = await Anonymous().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal($"\"{uploaded.GetProperty("sha256").GetString()}\"", response.Headers.ETag!.Tag);
        Assert.Equal("bytes", response.Headers.AcceptRanges.Single());
        Assert.Contains("no-cache", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Equal("inline", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Contains("sandbox", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());

        var ranged = new HttpRequestMessage(HttpMethod.Get, path);
        ranged.Headers.Range = new RangeHeaderValue(2, 9);
        var partial = await Anonymous().SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal($"bytes 2-9/{bytes.Length}", partial.Content.Headers.ContentRange!.ToString());
        Assert.Equal(bytes[2..10], await partial.Content.ReadAsByteArrayAsync());

        var conditional = new HttpRequestMessage(HttpMethod.Get, path);
        conditional.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await Anonymous().SendAsync(conditional)).StatusCode);

        var head = await Anonymous().SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(bytes.Length, head.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Svg_IsAlwaysADownload_WithAPolicyThatRunsNothing()
    {
        var uploaded = await f.UploadOkAsync("alice", MediaSamples.Svg(), "logo.svg");
        Assert.Equal("image/svg+xml", uploaded.GetProperty("mime_type").GetString());
        var response = await Anonymous().GetAsync(PathOf(uploaded.GetProperty("url").GetString()!));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.StartsWith("logo", response.Content.Headers.ContentDisposition.FileName!.Trim('"'), StringComparison.Ordinal);
        Assert.Equal("default-src 'none'; sandbox", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task OfficeDocument_IsADownload()
    {
        var uploaded = await f.UploadOkAsync("alice", MediaSamples.Docx(), "report.docx");
        var response = await Anonymous().GetAsync(PathOf(uploaded.GetProperty("url").GetString()!));
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
    }

    [Fact]
    public async Task Visibility_FollowsTheAttachedPost()
    {
        var tests = new MediaUploadAbilityTests(f);
        var postId = await tests.CreatePostAsync("alice", PostStatuses.Draft);
        var attached = await f.UploadOkAsync("alice", MediaSamples.Png(2, 2), "secret-plan.png", new { post_id = postId });
        var path = PathOf(attached.GetProperty("url").GetString()!);
        var unattached = PathOf((await f.UploadOkAsync("alice", MediaSamples.Png(2, 2), "free.png")).GetProperty("url").GetString()!);

        Assert.Equal(HttpStatusCode.NotFound, (await Anonymous().GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Anonymous().GetAsync(unattached)).StatusCode);

        var siteId = await f.SiteIdAsync("garden");
        await f.DbAsync(db => db.Posts.Where(p => p.SiteId == siteId && p.Id == postId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, PostStatuses.Publish)));
        Assert.Equal(HttpStatusCode.OK, (await Anonymous().GetAsync(path)).StatusCode);

        await f.DbAsync(db => db.Posts.Where(p => p.SiteId == siteId && p.Id == postId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Password, "hunter2")));
        Assert.Equal(HttpStatusCode.NotFound, (await Anonymous().GetAsync(path)).StatusCode);

        var unattachedId = await f.DbAsync(db => db.MediaFiles.Where(m => m.SiteId == siteId && m.StoragePath == unattached.Substring(unattached.IndexOf("uploads/", StringComparison.Ordinal) + 8)).Select(m => m.PostId).SingleAsync());
        await f.DbAsync(db => db.Posts.Where(p => p.SiteId == siteId && p.Id == unattachedId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, PostStatuses.Trash)));
        Assert.Equal(HttpStatusCode.NotFound, (await Anonymous().GetAsync(unattached)).StatusCode);

        // Members still see it on the media page's own file address.
        var alice = await f.Harness.Server.AliceAsync();
        var mediaId = attached.GetProperty("id").GetInt64();
        var member = await alice.GetAsync($"/account/sites/garden/media/file/{mediaId}");
        Assert.Equal(HttpStatusCode.OK, member.StatusCode);
        Assert.Contains("private", member.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var stranger = await f.Harness.Server.Server.SignedInClientAsync("bob", "kitchen secret phrase");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/account/sites/garden/media/file/{mediaId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await Anonymous().GetAsync($"/account/sites/garden/media/file/{mediaId}")).StatusCode);
    }

    [Theory]
    [InlineData("/sites/garden/wp-content/uploads/2026/05/nothing.png")]
    [InlineData("/sites/nosuchsite/wp-content/uploads/2026/05/x.png")]
    [InlineData("/sites/garden/wp-content/uploads/2026/05/..%2F..%2Fpressmcp.db")]
    [InlineData("/sites/garden/wp-content/uploads/..%2F..%2F..%2Fpressmcp.db/x/y")]
    public async Task UnknownOrTraversal_Is404(string path) =>
        Assert.Equal(HttpStatusCode.NotFound, (await Anonymous().GetAsync(path)).StatusCode);

    [Fact]
    public async Task SiteWithHostName_ServesAtItsHost_AndRedirectsThePathAddress()
    {
        var store = f.Harness.Server.Server.Store;
        Assert.Equal(0, (await CliRunner.RunAsync(store, "site", "create", "--slug", "photos", "--title", "Photos", "--owner", "alice", "--host", "photos.example.com")).ExitCode);
        var uploaded = await f.UploadAsync("alice", MediaSamples.Gif(2, 2), "hosted.gif", site: "photos");
        Assert.True(uploaded.Succeeded, uploaded.Message);
        var url = new Uri(uploaded.Value.GetProperty("url").GetString()!);
        Assert.Equal("photos.example.com", url.Host);
        Assert.StartsWith("/wp-content/uploads/", url.AbsolutePath, StringComparison.Ordinal);

        var byHost = new HttpRequestMessage(HttpMethod.Get, url.AbsolutePath);
        byHost.Headers.Host = "photos.example.com";
        var response = await Anonymous().SendAsync(byHost);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/gif", response.Content.Headers.ContentType!.MediaType);

        var byPath = await Anonymous().GetAsync("/sites/photos" + url.AbsolutePath);
        Assert.Equal(HttpStatusCode.MovedPermanently, byPath.StatusCode);
        Assert.Equal(url, byPath.Headers.Location);
    }
}
