namespace PressMcp.Tests.Import;

/// <summary>A read-only stream that runs <paramref name="callback"/> once, when the reader has read past <paramref name="after"/> bytes.</summary>
public sealed class NotifyingStream(Stream inner, long after, Action callback) : Stream
{
    private long _read;
    private bool _called;

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (!_called && _read >= after)
        {
            _called = true;
            callback();
        }
        var n = inner.Read(buffer, offset, count);
        _read += n;
        return n;
    }

    public bool Called => _called;
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
