namespace PressMcp.Storage;

/// <summary>
/// A background writer of batched data (view counts, the activity log): flushes on its own schedule, and once
/// more after the web server has finished its last requests, so what they queued is kept. Flushes never overlap.
/// </summary>
internal abstract class BatchFlushService : BackgroundService, IHostedLifecycleService
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Runs <paramref name="flush"/> alone: a timer tick and the final flush never write the same batch twice.</summary>
    protected async Task<T> ExclusiveAsync<T>(Func<Task<T>> flush, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return await flush();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The final flush, after the host has stopped serving.</summary>
    protected abstract Task FinalFlushAsync();

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => FinalFlushAsync();

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }
}
