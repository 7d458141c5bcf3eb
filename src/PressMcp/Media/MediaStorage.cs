using System.Globalization;
using System.Security.Cryptography;
using PressMcp.Content;

namespace PressMcp.Media;

/// <summary>
/// An upload written to a private temporary file: its size and SHA-256 were computed while it was written, and it is
/// flushed to disk. Disposing deletes the temporary file unless <see cref="MediaStorage.Place"/> moved it into place.
/// </summary>
internal sealed class StagedFile(string path, long length, string sha256) : IDisposable
{
    private FileStream? _read;

    public string TempPath { get; } = path;
    public long Length { get; } = length;
    public string Sha256 { get; } = sha256;
    internal bool Moved { get; set; }

    /// <summary>The staged bytes for sniffing (one shared read-only stream; callers reposition it).</summary>
    public Stream Content => _read ??= new FileStream(TempPath, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.RandomAccess);

    internal void CloseContent()
    {
        _read?.Dispose();
        _read = null;
    }

    public void Dispose()
    {
        CloseContent();
        if (!Moved) MediaStorage.TryDelete(TempPath);
    }
}

/// <summary>
/// The files behind uploads: <c>&lt;root&gt;/&lt;site id&gt;/&lt;yyyy&gt;/&lt;mm&gt;/&lt;name&gt;</c>. An upload is first written to
/// <c>&lt;root&gt;/.incoming/</c> (same file system, so the final move is a rename) and flushed, and only a complete file
/// is moved to its address: a crash leaves at most a stray file in <c>.incoming</c>, never a half file under a served
/// name. The move never replaces a file: a taken name gets <c>-2</c>, <c>-3</c>, … as in WordPress.
/// </summary>
internal sealed class MediaStorage(MediaOptions options)
{
    private const string Incoming = ".incoming";
    private static readonly TimeSpan StaleIncoming = TimeSpan.FromDays(1);

    public string Root => options.Root;

    /// <summary>The physical path of a stored file; null when <paramref name="storagePath"/> is not a plain relative path.</summary>
    public string? PhysicalPath(long siteId, string storagePath)
    {
        var parts = storagePath.Split('/');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0 || p == "." || p == ".." || p.Contains('\\') || p.Contains('\0'))) return null;
        return Path.Combine(Root, siteId.ToString(CultureInfo.InvariantCulture), parts[0], parts[1], parts[2]);
    }

    /// <summary>
    /// Copies <paramref name="source"/> to a new temporary file, hashing as it goes; null (and nothing left behind)
    /// as soon as it is longer than <paramref name="maxBytes"/>.
    /// </summary>
    public async Task<StagedFile?> StageAsync(Stream source, long maxBytes, CancellationToken ct)
    {
        var directory = Path.Combine(Root, Incoming);
        Directory.CreateDirectory(directory);
        SweepIncoming(directory);
        var path = Path.Combine(directory, Guid.NewGuid().ToString("N") + ".part");
        var complete = false;
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long length = 0;
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await source.ReadAsync(buffer, ct)) > 0)
                {
                    length += read;
                    if (length > maxBytes) return null;
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
                await file.FlushAsync(ct);
                // The bytes reach the disk before the file can be moved to a served name.
                file.Flush(flushToDisk: true);
            }
            complete = true;
            return new StagedFile(path, length, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        finally
        {
            if (!complete) TryDelete(path);
        }
    }

    /// <summary>
    /// Moves a staged file to <c>&lt;site&gt;/&lt;yyyy&gt;/&lt;mm&gt;/</c> under a free name made of <paramref name="baseName"/> and
    /// <paramref name="extension"/>; returns its storage path (<c>yyyy/mm/name</c>).
    /// </summary>
    public string Place(StagedFile staged, long siteId, DateTime uploadedUtc, string baseName, string extension)
    {
        staged.CloseContent();
        var month = uploadedUtc.ToString("yyyy/MM", CultureInfo.InvariantCulture);
        var directory = Path.Combine(Root, siteId.ToString(CultureInfo.InvariantCulture), uploadedUtc.ToString("yyyy", CultureInfo.InvariantCulture), uploadedUtc.ToString("MM", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(directory);
        for (var n = 1; ; n++)
        {
            var name = n == 1 ? baseName + extension : $"{baseName}-{n.ToString(CultureInfo.InvariantCulture)}{extension}";
            try
            {
                // Without overwrite the move fails when the name exists, even if another upload took it a moment ago.
                File.Move(staged.TempPath, Path.Combine(directory, name), overwrite: false);
                staged.Moved = true;
                return $"{month}/{name}";
            }
            catch (IOException) when (File.Exists(Path.Combine(directory, name)) && n < 10_000)
            {
            }
        }
    }

    public void Delete(long siteId, string storagePath)
    {
        if (PhysicalPath(siteId, storagePath) is { } path) TryDelete(path);
    }

    /// <summary>
    /// A name safe in a URL and on every file system: the original's base name folded to lowercase ASCII words
    /// joined by hyphens (as post slugs are), at most 100 characters; <c>file</c> when nothing is left.
    /// </summary>
    public static string SafeBaseName(string fileName)
    {
        var name = DisplayName(fileName);
        var dot = name.LastIndexOf('.');
        var stem = dot > 0 ? name[..dot] : name;
        var slug = Slugs.FromTitle(stem.Replace('.', '-').Replace('_', '-'));
        if (slug.Length > 100) slug = slug[..100].TrimEnd('-');
        return slug.Length == 0 ? "file" : slug;
    }

    /// <summary>The name an uploader gave, reduced to its last path segment without control characters, for display.</summary>
    public static string DisplayName(string fileName)
    {
        var last = fileName.Replace('\\', '/').Split('/').LastOrDefault(s => s.Length > 0) ?? "";
        var clean = new string(last.Where(c => !char.IsControl(c)).ToArray()).Trim().Trim('.');
        if (clean.Length > 200) clean = clean[..200];
        return clean.Length == 0 ? "file" : clean;
    }

    /// <summary>The extension of the stored file: the upload's own when it is a usual one for the real type, else the type's.</summary>
    public static string ExtensionFor(string fileName, SniffedType type)
    {
        var own = Path.GetExtension(DisplayName(fileName)).ToLowerInvariant();
        return own == type.Extension || type.Aliases.Contains(own) ? own : type.Extension!;
    }

    internal static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>Removes what a crash left in <c>.incoming</c>; a day is far longer than any upload takes.</summary>
    private static void SweepIncoming(string directory)
    {
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*.part"))
            if (DateTime.UtcNow - file.LastWriteTimeUtc > StaleIncoming) TryDelete(file.FullName);
    }
}
