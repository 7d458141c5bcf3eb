using System.Buffers.Binary;

namespace PressMcp.Media;

/// <summary>
/// Width and height of an image read from its header, without decoding it: PNG (IHDR), GIF (logical screen),
/// JPEG (the first SOFn frame header, found by walking the marker segments), WebP (VP8, VP8L and VP8X chunks),
/// AVIF and HEIC (the largest <c>ispe</c> property, the primary image rather than a thumbnail or tile).
/// No image library is involved (none is available to us, and decoding untrusted images is a risk we need not take).
/// SVG sizes are CSS lengths, not pixels, so SVG has none.
/// </summary>
internal static class ImageSize
{
    private const int IsoScanLength = 256 * 1024;

    public static (int Width, int Height)? Read(Stream content, string mime)
    {
        content.Position = 0;
        return mime switch
        {
            "image/png" => Png(Head(content, 24)),
            "image/gif" => Gif(Head(content, 10)),
            "image/webp" => Webp(Head(content, 30)),
            "image/jpeg" => Jpeg(content),
            "image/avif" or "image/heic" => Ispe(Head(content, IsoScanLength)),
            _ => null,
        };
    }

    private static byte[] Head(Stream content, int length)
    {
        var buffer = new byte[length];
        var read = content.ReadAtLeast(buffer, length, throwOnEndOfStream: false);
        return read == length ? buffer : buffer[..read];
    }

    private static (int, int)? Png(byte[] h) =>
        h.Length >= 24 && h.AsSpan(12, 4).SequenceEqual("IHDR"u8)
            ? Valid(BinaryPrimitives.ReadUInt32BigEndian(h.AsSpan(16)), BinaryPrimitives.ReadUInt32BigEndian(h.AsSpan(20)))
            : null;

    private static (int, int)? Gif(byte[] h) =>
        h.Length >= 10 ? Valid(BinaryPrimitives.ReadUInt16LittleEndian(h.AsSpan(6)), BinaryPrimitives.ReadUInt16LittleEndian(h.AsSpan(8))) : null;

    private static (int, int)? Webp(byte[] h)
    {
        if (h.Length < 25) return null;
        var chunk = h.AsSpan(12, 4);
        if (chunk.SequenceEqual("VP8 "u8))
        {
            if (h.Length < 30) return null;
            // A lossy key frame: start code 9D 01 2A, then 14-bit width and height (2 scaling bits above them).
            if (h[23] != 0x9D || h[24] != 0x01 || h[25] != 0x2A) return null;
            return Valid(BinaryPrimitives.ReadUInt16LittleEndian(h.AsSpan(26)) & 0x3FFFu, BinaryPrimitives.ReadUInt16LittleEndian(h.AsSpan(28)) & 0x3FFFu);
        }
        if (chunk.SequenceEqual("VP8L"u8))
        {
            // Lossless: signature 0x2F, then width-1 and height-1 in 14 bits each, little-endian bit order.
            if (h[20] != 0x2F) return null;
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(h.AsSpan(21));
            return Valid((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
        }
        if (chunk.SequenceEqual("VP8X"u8))
        {
            if (h.Length < 30) return null;
            // Extended: canvas width-1 and height-1 as 24-bit little-endian numbers.
            return Valid((uint)(h[24] | h[25] << 8 | h[26] << 16) + 1, (uint)(h[27] | h[28] << 8 | h[29] << 16) + 1);
        }
        return null;
    }

    /// <summary>Walks JPEG marker segments to the first start-of-frame (SOF0–SOF15 except DHT, JPG and DAC).</summary>
    private static (int, int)? Jpeg(Stream s)
    {
        s.Position = 2;
        Span<byte> marker = stackalloc byte[2];
        Span<byte> frame = stackalloc byte[7];
        while (true)
        {
            if (s.ReadAtLeast(marker, 2, throwOnEndOfStream: false) < 2) return null;
            if (marker[0] != 0xFF) return null;
            var code = marker[1];
            // Fill bytes: a marker may be preceded by any number of 0xFF.
            while (code == 0xFF)
            {
                var next = s.ReadByte();
                if (next < 0) return null;
                code = (byte)next;
            }
            // Markers without a length: TEM, RSTn, SOI. EOI or SOS before a frame header means there is none.
            if (code is 0x01 or (>= 0xD0 and <= 0xD8)) continue;
            if (code is 0xD9 or 0xDA) return null;
            if (s.ReadAtLeast(frame[..2], 2, throwOnEndOfStream: false) < 2) return null;
            var length = BinaryPrimitives.ReadUInt16BigEndian(frame);
            if (length < 2) return null;
            if (code is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                // Precision (1 byte), height (2), width (2).
                if (s.ReadAtLeast(frame[2..7], 5, throwOnEndOfStream: false) < 5) return null;
                return Valid(BinaryPrimitives.ReadUInt16BigEndian(frame[5..]), BinaryPrimitives.ReadUInt16BigEndian(frame[3..]));
            }
            s.Seek(length - 2, SeekOrigin.Current);
            if (s.Position >= s.Length) return null;
        }
    }

    private static (int, int)? Ispe(byte[] h)
    {
        (int, int)? best = null;
        var span = h.AsSpan();
        var offset = 0;
        while (offset < span.Length)
        {
            var at = span[offset..].IndexOf("ispe"u8);
            if (at < 0) break;
            var p = offset + at + 4 + 4; // after the box type and its version and flags
            if (p + 8 <= span.Length && Valid(BinaryPrimitives.ReadUInt32BigEndian(span[p..]), BinaryPrimitives.ReadUInt32BigEndian(span[(p + 4)..])) is { } size
                && (best is null || (long)size.Item1 * size.Item2 > (long)best.Value.Item1 * best.Value.Item2))
                best = size;
            offset += at + 4;
        }
        return best;
    }

    private static (int, int)? Valid(uint width, uint height) =>
        width is > 0 and <= 1_000_000 && height is > 0 and <= 1_000_000 ? ((int)width, (int)height) : null;
}
