using System.Threading.Channels;

namespace PressMcp.Import;

/// <summary>
/// Enumerates a source on a thread of its own, a few chunks ahead of the consumer, so that reading (parsing the XML in
/// pass 1, reading staged batches back in pass 2) runs on one core while the consumer writes rows on the other. The
/// source's items are handed over in chunks (one hand-over per item would cost more than it saves) through a bounded
/// channel, so memory stays bounded: at most <c>capacity</c> chunks wait. An exception of the source reaches the consumer,
/// as itself, after the items read before it. Disposing stops the source and waits for its thread, so whatever the source
/// reads from may be disposed next.
/// </summary>
internal sealed class ReadAhead<T> : IAsyncDisposable, IDisposable
{
    private readonly Channel<List<T>> _chunks;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _producer;

    public ReadAhead(IEnumerable<T> source, int chunkSize, int capacity)
    {
        _chunks = Channel.CreateBounded<List<T>>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
        _producer = Task.Factory.StartNew(() => Produce(source, chunkSize), _stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>For a synchronous consumer (pass 1 is synchronous: it reads a stream and writes a private file).</summary>
    public IEnumerable<T> Items()
    {
        while (_chunks.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (_chunks.Reader.TryRead(out var chunk))
            {
                foreach (var item in chunk) yield return item;
            }
        }
    }

    public async IAsyncEnumerable<T> ItemsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        while (await _chunks.Reader.WaitToReadAsync(ct))
        {
            while (_chunks.Reader.TryRead(out var chunk))
            {
                foreach (var item in chunk) yield return item;
            }
        }
    }

    private void Produce(IEnumerable<T> source, int chunkSize)
    {
        try
        {
            var chunk = new List<T>(chunkSize);
            foreach (var item in source)
            {
                chunk.Add(item);
                if (chunk.Count < chunkSize) continue;
                Write(chunk);
                chunk = new List<T>(chunkSize);
            }
            if (chunk.Count > 0) Write(chunk);
            _chunks.Writer.TryComplete();
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            _chunks.Writer.TryComplete();
        }
        catch (Exception ex)
        {
            _chunks.Writer.TryComplete(ex);
        }
    }

    /// <summary>Waits (on this thread, which is the producer's own) until the consumer has room for another chunk.</summary>
    private void Write(List<T> chunk)
    {
        _stop.Token.ThrowIfCancellationRequested();
        while (!_chunks.Writer.TryWrite(chunk))
            _chunks.Writer.WaitToWriteAsync(_stop.Token).AsTask().GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _producer.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            // Cancelled before it started.
        }
        _stop.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try
        {
            await _producer;
        }
        catch (OperationCanceledException)
        {
            // Cancelled before it started.
        }
        _stop.Dispose();
    }
}
