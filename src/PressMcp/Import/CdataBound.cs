namespace PressMcp.Import;

/// <summary>
/// The export's bytes as they are, except that a CDATA section longer than the content bound is cut short before the
/// XML parser sees it. Why: XmlReader builds a CDATA section's whole text before it hands out the first character
/// (ReadValueChunk included), so one 200 MB post cost 1.95 GB of memory even though the importer keeps no text longer
/// than the bound. Cut at <c>3 × bound + 3</c> bytes, the section still holds more than <c>bound</c> characters (UTF-8 needs at
/// most three bytes per UTF-16 character), so the reader still sees it as too long and skips its item with a warning
/// (<see cref="WxrItemReader"/>); memory stays proportional to the bound. Line breaks of the dropped part are kept, so the
/// lines the parser reports after it are still the file's (a section of nothing but line breaks is the one thing kept whole).
/// <para>
/// The scanner knows just enough XML to find CDATA sections: "&lt;![CDATA[" outside comments and processing instructions
/// opens one, "]]&gt;" closes it. It cuts at the start of a UTF-8 character and always passes the closing "]]&gt;"
/// (tested by WxrReaderWriterTests and by a 200 MB post in WxrFormatTests' sibling run, see docs/performance.md).
/// </para>
/// </summary>
internal sealed class CdataBound(Stream inner, int maxTextLength) : Stream
{
    private enum State
    {
        Markup,
        Cdata,
        Comment,
        Instruction,
    }

    private static readonly UInt128 CdataOpen = Tail("<![CDATA["u8);
    private static readonly UInt128 CommentOpen = Tail("<!--"u8);
    private static readonly UInt128 InstructionOpen = Tail("<?"u8);
    private static readonly UInt128 CdataClose = Tail("]]>"u8);
    private static readonly UInt128 CommentClose = Tail("-->"u8);
    private static readonly UInt128 InstructionClose = Tail("?>"u8);

    private readonly long _keep = 3L * maxTextLength + 3;
    private UInt128 _last;
    private State _state;
    private long _sectionBytes;
    private bool _dropping;
    private int _brackets;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            var n = inner.Read(buffer);
            if (n == 0) return 0;
            var kept = Filter(buffer[..n]);
            // A read that was all dropped bytes must not look like the end of the stream.
            if (kept > 0) return kept;
        }
    }

    /// <summary>
    /// Scans the bytes just read, moving the kept ones to the front; returns how many were kept. Runs of bytes that cannot
    /// change the state (no '[', '-' or '?' between sections; no '&gt;' inside one) are passed in bulk, so the scan costs
    /// little beside the parser; byte by byte only at those bytes and in the dropped part of a section.
    /// </summary>
    private int Filter(Span<byte> bytes)
    {
        var kept = 0;
        var i = 0;
        while (i < bytes.Length)
        {
            var rest = bytes[i..];
            var run = _dropping ? 0 : _state == State.Markup ? rest.IndexOfAny("[-?"u8) : rest.IndexOf((byte)'>');
            if (run < 0) run = rest.Length;
            if (_state == State.Cdata && !_dropping) run = (int)Math.Min(run, Math.Max(0, _keep - _sectionBytes));
            if (run > 0)
            {
                if (kept != i) rest[..run].CopyTo(bytes[kept..]);
                foreach (var b in rest[Math.Max(0, run - 16)..run]) _last = (_last << 8) | b;
                if (_state == State.Cdata) _sectionBytes += run;
                kept += run;
                i += run;
                continue;
            }
            Step(bytes[i++], bytes, ref kept);
        }
        return kept;
    }

    private void Step(byte b, Span<byte> bytes, ref int kept)
    {
        _last = (_last << 8) | b;
        switch (_state)
        {
            case State.Markup:
                if (Ends(CdataOpen, 9)) (_state, _sectionBytes, _dropping) = (State.Cdata, 0, false);
                else if (Ends(CommentOpen, 4)) _state = State.Comment;
                else if (Ends(InstructionOpen, 2)) _state = State.Instruction;
                break;
            case State.Cdata:
                if (Ends(CdataClose, 3))
                {
                    (_state, _dropping) = (State.Markup, false);
                    break;
                }
                // Cut only where a character starts (not at a UTF-8 continuation byte 10xxxxxx).
                if (!_dropping && ++_sectionBytes > _keep && (b & 0xC0) != 0x80) (_dropping, _brackets) = (true, 0);
                if (!_dropping) break;
                // Dropping: keep line breaks, and up to two ']' since the last one, so that the section's real "]]>" still
                // closes it in what the parser reads (a '>' is kept only there, so no other "]]>" can form).
                if (b is (byte)'\n' or (byte)'\r') _brackets = 0;
                else if (b == (byte)']' && _brackets < 2) _brackets++;
                else return;
                break;
            case State.Comment:
                if (Ends(CommentClose, 3)) _state = State.Markup;
                break;
            case State.Instruction:
                if (Ends(InstructionClose, 2)) _state = State.Markup;
                break;
        }
        bytes[kept++] = b;
    }

    private bool Ends(UInt128 pattern, int length) => (_last & ((UInt128.One << (8 * length)) - 1)) == pattern;

    private static UInt128 Tail(ReadOnlySpan<byte> pattern)
    {
        UInt128 value = 0;
        foreach (var b in pattern) value = (value << 8) | b;
        return value;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
