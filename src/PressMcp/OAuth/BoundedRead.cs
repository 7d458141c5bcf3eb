namespace PressMcp.OAuth;

/// <summary>Reads a body that a stranger controls, never holding more than a fixed number of bytes.</summary>
internal static class BoundedRead
{
    /// <summary>The whole stream, or null as soon as it turns out longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(Stream stream, int maxBytes, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
