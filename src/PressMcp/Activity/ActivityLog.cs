using System.Threading.Channels;

namespace PressMcp.Activity;

/// <summary>
/// Where tool calls are recorded: a bounded in-memory queue the request path writes to without waiting, drained
/// in batches by <see cref="ActivityFlusher"/>. When the queue is full (the database is gone for a long time) the
/// oldest entries are dropped rather than slowing the calls down; that is counted and logged.
/// </summary>
internal sealed class ActivityLog
{
    public const int Capacity = 100_000;

    private readonly Channel<ActivityEntry> _queue;
    private long _dropped;

    public ActivityLog() => _queue = Channel.CreateBounded<ActivityEntry>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
        _ => Interlocked.Increment(ref _dropped));

    public void Record(ActivityEntry entry) => _queue.Writer.TryWrite(entry);

    internal ChannelReader<ActivityEntry> Reader => _queue.Reader;

    /// <summary>Entries dropped since the last call (the flusher reports them).</summary>
    internal long TakeDropped() => Interlocked.Exchange(ref _dropped, 0);
}
