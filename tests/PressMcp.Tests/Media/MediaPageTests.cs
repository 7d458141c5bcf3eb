using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace PressMcp.Tests.Media;

/// <summary>The media page and its multipart upload over HTTP: who may open it, antiforgery on every POST, the same checks as the ability.</summary>
[Trait(Category.Name, Category.Integration)]
public sealed class MediaPageTests(MediaFixture f) : IClassFixture<MediaFixture>
{
    private const string Page = "/account/sites/garden/media";

    private Task<HttpClient> SignInAsync(string login) =>
        login == "alice" ? f.Harness.Server.AliceAsync() : f.Harness.Server.Server.SignedInClientAsync(login, "member secret phrase");

    private static async Task<string> TokenAsync(HttpClient client)
    {
        var html = await (await client.GetAsync(Page)).Content.ReadAsStringAsync();
        return TestServer.AntiforgeryToken(html) ?? throw new InvalidOperationException("no token on the media page");
    }

    private static MultipartFormDataContent Upload(byte[] bytes, string name, string? token, string? folderId = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        // The declared type is a lie on purpose: only the bytes count.
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "file", name);
        form.Add(new StringContent("From the page"), "title");
        if (folderId is not null) form.Add(new StringContent(folderId), "folderId");
        if (token is not null) form.Add(new StringContent(token), "__RequestVerificationToken");
        return form;
    }

    [Fact]
    public async Task Page_OnlyForMembersWithUploadFiles()
    {
        Assert.Equal(HttpStatusCode.Redirect, (await f.Harness.Server.Anonymous().GetAsync(Page)).StatusCode);
        var alice = await SignInAsync("alice");
        var page = await alice.GetAsync(Page);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var doc = TestServer.Parse(await page.Content.ReadAsStringAsync());
        Assert.NotNull(doc.QuerySelector("form[action='/account/sites/garden/media/upload'] input[name=__RequestVerificationToken]"));
        Assert.NotNull(doc.QuerySelector("form input[name=name]"));
        Assert.True(page.Headers.CacheControl!.NoStore);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());

        var bob = await f.Harness.Server.Server.SignedInClientAsync("bob", "kitchen secret phrase");
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync(Page)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await SignInAsync("sam")).GetAsync(Page)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync("/account/sites/nosuch/media")).StatusCode);

        // An author may upload but not manage folders: no folder forms.
        var author = TestServer.Parse(await (await (await SignInAsync("arthur")).GetAsync(Page)).Content.ReadAsStringAsync());
        Assert.Null(author.QuerySelector("form input[name=name]"));
        Assert.NotNull(author.QuerySelector("input[type=file]"));
    }

    [Fact]
    public async Task Upload_WithoutAntiforgeryToken_IsRefusedAndStoresNothing()
    {
        var alice = await SignInAsync("alice");
        var before = await f.DbAsync(db => db.MediaFiles.CountAsync());
        var response = await alice.PostAsync(Page + "/upload", Upload(MediaSamples.Png(2, 2), "forged.png", token: null));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("antiforgery", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var wrong = await alice.PostAsync(Page + "/upload", Upload(MediaSamples.Png(2, 2), "forged.png", token: "CfDJ8-not-a-token"));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        // Another user's token does not fit alice's session either.
        var arthursToken = await TokenAsync(await SignInAsync("arthur"));
        Assert.Equal(HttpStatusCode.BadRequest, (await alice.PostAsync(Page + "/upload", Upload(MediaSamples.Png(2, 2), "forged.png", arthursToken))).StatusCode);
        Assert.Equal(before, await f.DbAsync(db => db.MediaFiles.CountAsync()));
    }

    [Fact]
    public async Task Upload_WithToken_StoresThroughTheSameChecks()
    {
        var alice = await SignInAsync("alice");
        var token = await TokenAsync(alice);
        var response = await alice.PostAsync(Page + "/upload", Upload(MediaSamples.Png(6, 4), "from-page.png", token));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var after = await (await alice.GetAsync(response.Headers.Location!.ToString())).Content.ReadAsStringAsync();
        Assert.Contains("Uploaded from-page.png", after, StringComparison.Ordinal);
        var siteId = await f.SiteIdAsync("garden");
        var stored = await f.DbAsync(db => db.MediaFiles.Where(m => m.SiteId == siteId && m.FileName == "from-page.png").SingleAsync());
        Assert.Equal((6, 4), (stored.Width, stored.Height));
        Assert.Equal("image/png", await f.DbAsync(db => db.Posts.Where(p => p.SiteId == siteId && p.Id == stored.PostId).Select(p => p.MimeType).SingleAsync()));
        Assert.Equal(1, await f.DbAsync(db => db.ChangeRecords.CountAsync(c => c.ObjectType == "media" && c.ObjectId == stored.PostId && c.SiteId == siteId)));
        // The activity log names the person, beside agents' media/upload calls.
        await f.Harness.Services.GetRequiredService<PressMcp.Activity.ActivityFlusher>().FlushAsync();
        var entry = await f.DbAsync(db => db.ActivityLog.Where(a => a.Tool == "media: upload" && a.Arguments == "from-page.png").SingleAsync());
        Assert.Equal(("media/upload", PressMcp.Abilities.PersonCalls.Endpoint, await f.Harness.UserIdAsync("alice"), siteId, PressMcp.Abilities.CallOutcome.Succeeded),
            (entry.Ability, entry.Endpoint, entry.UserId, entry.SiteId!.Value, entry.Outcome));

        var json = new HttpRequestMessage(HttpMethod.Post, Page + "/upload") { Content = Upload(MediaSamples.Pdf(), "script.pdf", token) };
        json.Headers.Accept.ParseAdd("application/json");
        var created = await alice.SendAsync(json);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("application/pdf", (await OAuthTestServer.JsonOf(created)).GetProperty("mime_type").GetString());

        var exe = new HttpRequestMessage(HttpMethod.Post, Page + "/upload") { Content = Upload(MediaSamples.Exe(), "photo.jpg", token) };
        exe.Headers.Accept.ParseAdd("application/json");
        var refused = await alice.SendAsync(exe);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("a Windows executable", (await OAuthTestServer.JsonOf(refused)).GetProperty("error").GetString(), StringComparison.Ordinal);

        var big = new byte[MediaFixture.Limit + 10];
        MediaSamples.Pdf().CopyTo(big, 0);
        var tooBig = await alice.PostAsync(Page + "/upload", Upload(big, "big.pdf", token));
        Assert.Equal(HttpStatusCode.SeeOther, tooBig.StatusCode);
        Assert.Contains("larger than the upload limit of 64 KB", await (await alice.GetAsync(Page)).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var sam = await SignInAsync("sam");
        var samToken = TestServer.AntiforgeryToken(await (await sam.GetAsync("/account")).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await sam.PostAsync(Page + "/upload", Upload(MediaSamples.Png(1, 1), "sam.png", samToken))).StatusCode);
    }

    [Fact]
    public async Task FolderForms_NeedTokenAndManageCategories_MoveAnswersScript()
    {
        var alice = await SignInAsync("alice");
        var name = "Page folder " + Guid.NewGuid().ToString("N")[..6];
        var noToken = await alice.PostAsync(Page + "?handler=CreateFolder", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = name }));
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);

        var created = await TestServer.PostFormAsync(alice, Page + "?handler=CreateFolder", new() { ["name"] = name, ["parentId"] = "0" }, formPage: Page);
        Assert.Equal(HttpStatusCode.SeeOther, created.StatusCode);
        var folderId = await f.DbAsync(db => db.MediaFolders.Where(x => x.Name == name).Select(x => x.Id).SingleAsync());
        // The page ran the agents' ability as Alice's own call: the activity log names her, in the browser.
        await f.Harness.Services.GetRequiredService<PressMcp.Activity.ActivityFlusher>().FlushAsync();
        var entry = await f.DbAsync(db => db.ActivityLog.Where(a => a.Tool == "media: create folder").OrderByDescending(a => a.Id).FirstAsync());
        Assert.Equal(("vmfo/create-folder", PressMcp.Abilities.PersonCalls.Endpoint, (string?)null, await f.Harness.UserIdAsync("alice")), (entry.Ability, entry.Endpoint, entry.Client, entry.UserId));

        var author = await SignInAsync("arthur");
        var refused = await TestServer.PostFormAsync(author, Page + "?handler=CreateFolder", new() { ["name"] = name + " 2" }, formPage: Page);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        var item = (await f.UploadOkAsync("arthur", MediaSamples.Png(1, 1), "move-me.png")).GetProperty("id").GetInt64();
        var token = await TokenAsync(author);
        var move = new HttpRequestMessage(HttpMethod.Post, Page + "?handler=Move")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["mediaId"] = item.ToString(System.Globalization.CultureInfo.InvariantCulture), ["folderId"] = folderId.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
        };
        move.Headers.Add("RequestVerificationToken", token);
        move.Headers.Accept.ParseAdd("application/json");
        var moved = await author.SendAsync(move);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var siteId = await f.SiteIdAsync("garden");
        Assert.Equal(folderId, await f.DbAsync(db => db.MediaFiles.Where(m => m.SiteId == siteId && m.PostId == item).Select(m => m.FolderId).SingleAsync()));

        var renamed = await TestServer.PostFormAsync(alice, Page + "?handler=RenameFolder", new() { ["folderId"] = folderId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["name"] = "a/b" }, formPage: Page);
        Assert.Equal(HttpStatusCode.SeeOther, renamed.StatusCode);
        Assert.Contains("cannot contain &#x27;/&#x27;", await (await alice.GetAsync(Page)).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var deleted = await TestServer.PostFormAsync(alice, Page + "?handler=DeleteFolder", new() { ["folderId"] = folderId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["force"] = "true" }, formPage: Page);
        Assert.Equal(HttpStatusCode.SeeOther, deleted.StatusCode);
        Assert.Null(await f.DbAsync(db => db.MediaFiles.Where(m => m.SiteId == siteId && m.PostId == item).Select(m => m.FolderId).SingleAsync()));
    }

    [Fact]
    public async Task Script_IsServedFromOurOrigin() =>
        Assert.Equal("text/javascript", (await f.Harness.Server.Anonymous().GetAsync("/assets/media.js")).Content.Headers.ContentType!.MediaType);
}
