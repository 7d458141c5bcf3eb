using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PressMcp.Tests.Infrastructure;

/// <summary>
/// A logger provider that keeps what one category logs, so a test can wait for the server to say it reached a state
/// (an event) instead of sleeping and hoping it got there. Register it with <see cref="Register"/>.
/// </summary>
public sealed class LogCapture(string category) : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _messages = new();
    private readonly SemaphoreSlim _written = new(0);

    /// <summary>Adds the provider to the server, with <paramref name="level"/> and up for its category whatever the server's minimum.</summary>
    public void Register(IServiceCollection services, LogLevel level = LogLevel.Debug)
    {
        services.AddSingleton<ILoggerProvider>(this);
        services.Configure<LoggerFilterOptions>(o => o.AddFilter<LogCapture>(category, level));
    }

    /// <summary>Everything logged so far, in order.</summary>
    public IReadOnlyList<string> Messages => [.. _messages];

    /// <summary>Waits until a message satisfies <paramref name="match"/> (one logged before the call counts too).</summary>
    public async Task<string> WaitForAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (_messages.FirstOrDefault(match) is { } found) return found;
            var left = until - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _written.WaitAsync(left))
                throw new TimeoutException($"{category} did not log the awaited message; it logged:\n{string.Join('\n', _messages)}");
        }
    }

    public ILogger CreateLogger(string categoryName) => categoryName == category ? new Logger(this) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            capture._messages.Enqueue(formatter(state, exception));
            capture._written.Release();
        }
    }
}
