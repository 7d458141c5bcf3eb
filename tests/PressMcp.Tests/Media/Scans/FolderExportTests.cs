using System.IO.Compression;
using System.Net;
using System.Text.Json;
using PressMcp.Abilities;
using PressMcp.Media.Exports;

namespace PressMcp.Tests.Media.Scans;

/// <summary>A scan server whose exports are limited to 20,000 bytes, so a too-large export is cheap to make.</summary>
public sealed class ExportFixture : ScanFixture
{
    public const long MaxArchiveBytes = 20_000;

    protected override IDictionary<string, string?> Configuration
    {
        get
        {
            var c = base.Configuration;
            c["Media:Exports:MaxArchiveBytes"] = MaxArchiveBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return c;
        }
    }

    internal string ExportRoot => Path.Combine(Harness.Server.Server.Store.DataDirectory, "exports");
}

/// <summary>
/// The <c>vmfo-folder-exporter/*</c> abilities end to end through the adapter endpoint: start, poll the status (bounded),
/// download the archive by its signed link and read it, refused links, the size limit, a failed export leaving no
/// file, and delete.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class FolderExportTests(ExportFixture f) : IClassFixture<ExportFixture>
{
    private const string Start = "vmfo-folder-exporter/start-export";
    private const string Status = "vmfo-folder-exporter/get-export-status";

    private async Task<long> FolderAsync(string site, string name, long? parent = null) =>
        (await f.Harness.OkAsync("alice", "vmfo/create-folder", parent is null ? new { name } : new { name, parent_id = parent }, site)).GetProperty("id").GetInt64();

    /// <summary>Polls get-export-status until the job has ended, for at most 60 seconds.</summary>
    private async Task<JsonElement> WaitAsync(string site, string jobId)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var status = await f.Harness.OkAsync("alice", Status, new { job_id = jobId }, site);
            if (status.GetProperty("status").GetString() is "completed" or "failed") return status;
            if (DateTime.UtcNow > until) throw new TimeoutException($"export {jobId} did not end: {status}");
            await Task.Delay(50);
        }
    }

    private async Task<(string Site, long Trips, byte[] Top, byte[] Nested)> TripsAsync()
    {
        var site = await f.NewSiteAsync();
        var trips = await FolderAsync(site, "Trips");
        var year = await FolderAsync(site, "2026", trips);
        var top = MediaSamples.Png(2, 2, 1, 2, 3);
        var nested = MediaSamples.Png(3, 3, 4, 5, 6);
        await f.UploadIdAsync(site, top, "beach.png", new { folder_id = trips });
        await f.UploadIdAsync(site, nested, "=cmd.png", new { folder_id = year });
        await f.UploadIdAsync(site, MediaSamples.Png(2, 2, 7, 7, 7), "elsewhere.png");
        return (site, trips, top, nested);
    }

    private static async Task<byte[]> ReadAsync(ZipArchiveEntry entry)
    {
        await using var s = await entry.OpenAsync();
        using var copy = new MemoryStream();
        await s.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task Export_StartPollDownloadDelete_ArchiveHoldsTheFolderTree()
    {
        var (site, trips, top, nested) = await TripsAsync();
        var started = await f.Harness.OkAsync("alice", Start, new { folder_id = trips }, site);
        Assert.Equal("pending", started.GetProperty("status").GetString());
        Assert.True(started.GetProperty("include_children").GetBoolean());
        Assert.Equal(trips, started.GetProperty("folder_id").GetInt64());
        var jobId = started.GetProperty("job_id").GetString()!;

        var done = await WaitAsync(site, jobId);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal((100, 2), (done.GetProperty("progress").GetInt32(), done.GetProperty("total").GetInt32()));
        Assert.Matches(@"^trips-\d{4}-\d{2}-\d{2}\.zip$", done.GetProperty("file_name").GetString());
        Assert.Equal(JsonValueKind.Null, done.GetProperty("file_path").ValueKind);
        var url = done.GetProperty("download_url").GetString()!;

        using var response = await f.Harness.Server.Anonymous().GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(done.GetProperty("file_size").GetInt64(), bytes.Length);
        using (var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read))
        {
            Assert.Equal(["2026/=cmd.png", "beach.png", "manifest.csv"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
            Assert.Equal(top, await ReadAsync(zip.GetEntry("beach.png")!));
            Assert.Equal(nested, await ReadAsync(zip.GetEntry("2026/=cmd.png")!));
            var manifest = System.Text.Encoding.UTF8.GetString(await ReadAsync(zip.GetEntry("manifest.csv")!));
            Assert.StartsWith("id,title,file_name,path,folder,mime_type,size_bytes\n", manifest.ReplaceLineEndings("\n"), StringComparison.Ordinal);
            // A name a spreadsheet would run as a formula is written as text.
            Assert.Contains("\"'=cmd.png\"", manifest, StringComparison.Ordinal);
        }

        // Another member sees the job but gets no link: the archive is its owner's.
        var seenByErin = await f.Harness.OkAsync("erin", Status, new { job_id = jobId }, site);
        Assert.Equal(JsonValueKind.Null, seenByErin.GetProperty("download_url").ValueKind);
        var listed = await f.Harness.OkAsync("erin", "vmfo-folder-exporter/list-exports", new { }, site);
        Assert.Equal([jobId], listed.GetProperty("exports").EnumerateArray().Select(x => x.GetProperty("job_id").GetString()));
        var erinDeletes = await f.Harness.CallAsync("erin", "vmfo-folder-exporter/delete-export", new { job_id = jobId }, site);
        Assert.Equal(CallOutcome.Refused, erinDeletes.Outcome);

        var deleted = await f.Harness.OkAsync("alice", "vmfo-folder-exporter/delete-export", new { job_id = jobId }, site);
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        using var gone = await f.Harness.Server.Anonymous().GetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(CallOutcome.NotFound, (await f.Harness.CallAsync("alice", Status, new { job_id = jobId }, site)).Outcome);
        Assert.DoesNotContain(Directory.EnumerateFiles(f.ExportRoot, "*", SearchOption.AllDirectories), p => p.Contains(Guid.Parse(jobId).ToString("N"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Export_WithoutChildrenOrManifest_HoldsOnlyTheFolderItself()
    {
        var (site, trips, top, _) = await TripsAsync();
        var started = await f.Harness.OkAsync("alice", Start, new { folder_id = trips, include_children = false, include_manifest = false }, site);
        var done = await WaitAsync(site, started.GetProperty("job_id").GetString()!);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        var bytes = await f.Harness.Server.Anonymous().GetByteArrayAsync(done.GetProperty("download_url").GetString());
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        var entry = Assert.Single(zip.Entries);
        Assert.Equal("beach.png", entry.FullName);
        Assert.Equal(top, await ReadAsync(entry));
    }

    [Fact]
    public async Task DownloadLink_ForgedOrExpired_IsRefused()
    {
        var (site, trips, _, _) = await TripsAsync();
        var started = await f.Harness.OkAsync("alice", Start, new { folder_id = trips }, site);
        var jobId = started.GetProperty("job_id").GetString()!;
        var url = (await WaitAsync(site, jobId)).GetProperty("download_url").GetString()!;
        var client = f.Harness.Server.Anonymous();

        // One character of the sealed token changed.
        var last = url[^1];
        using var forged = await client.GetAsync(url[..^1] + (last == 'A' ? 'B' : 'A'));
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.Equal("this download link is not valid", await forged.Content.ReadAsStringAsync());

        // A link sealed by the server itself for the right owner and job, but whose time is up.
        var links = f.Services.GetRequiredService<ExportLinks>();
        var siteId = await ScanKit.SiteIdAsync(f.Services, site);
        var alice = await f.Harness.UserIdAsync("alice");
        var expiredToken = links.Token(new ExportGrant(siteId, Guid.Parse(jobId), alice, DateTimeOffset.UtcNow.AddMinutes(-1)));
        var prefix = url[..(url.LastIndexOf('/') + 1)];
        using var expired = await client.GetAsync(prefix + expiredToken);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Contains("expired", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A valid seal for a user who did not start the export.
        var erin = await f.Harness.UserIdAsync("erin");
        using var other = await client.GetAsync(prefix + links.Token(new ExportGrant(siteId, Guid.Parse(jobId), erin, DateTimeOffset.UtcNow.AddMinutes(5))));
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);

        // The genuine link still works.
        using var genuine = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
    }

    [Fact]
    public async Task Export_OverTheSizeLimit_IsRefusedWithAClearError_AndNothingIsWritten()
    {
        var site = await f.NewSiteAsync();
        var big = await FolderAsync(site, "Big");
        await f.UploadIdAsync(site, MediaSamples.Jpeg(10, 10, paddingApp1: 30_000), "heavy.jpg", new { folder_id = big });
        var refused = await f.Harness.CallAsync("alice", Start, new { folder_id = big }, site);
        Assert.Equal(CallOutcome.Invalid, refused.Outcome);
        Assert.Contains("the limit is 19.5 KB (Media:Exports:MaxArchiveBytes)", refused.Message, StringComparison.Ordinal);
        Assert.Empty((await f.Harness.OkAsync("alice", "vmfo-folder-exporter/list-exports", new { }, site)).GetProperty("exports").EnumerateArray());
    }

    [Fact]
    public async Task Export_ThatFailsWhileWriting_ReportsWhy_AndLeavesNoFile()
    {
        var site = await f.NewSiteAsync();
        var folder = await FolderAsync(site, "Lost");
        await f.UploadIdAsync(site, MediaSamples.Png(2, 2, 1, 1, 1), "kept.png", new { folder_id = folder });
        var lost = await f.UploadAsync(site, MediaSamples.Png(2, 2, 2, 2, 2), "lost.png", new { folder_id = folder });
        // The file vanishes from disk behind the database's back (a restore gone wrong, a disk cleaned by hand).
        var siteId = await ScanKit.SiteIdAsync(f.Services, site);
        var path = new Uri(lost.GetProperty("url").GetString()!).AbsolutePath.Split("/wp-content/uploads/")[1];
        File.Delete(Path.Combine(f.MediaRoot, siteId.ToString(System.Globalization.CultureInfo.InvariantCulture), path));

        var started = await f.Harness.OkAsync("alice", Start, new { folder_id = folder }, site);
        var done = await WaitAsync(site, started.GetProperty("job_id").GetString()!);
        Assert.Equal("failed", done.GetProperty("status").GetString());
        Assert.Contains("lost.png) is not stored on this server", done.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, done.GetProperty("download_url").ValueKind);
        var siteDir = Path.Combine(f.ExportRoot, siteId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Empty(Directory.Exists(siteDir) ? Directory.EnumerateFiles(siteDir) : []);
    }
}
