using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace PressMcp.Tests.Hardening;

/// <summary>What went wrong with one request: a 5xx answer, no answer in time, or the connection dropped without one.</summary>
public sealed record FuzzFailure(FuzzRequest Request, string Outcome, string ResponseExcerpt);

/// <summary>The outcome of a run: how many requests, the failures, the answers by status, the memory peak.</summary>
public sealed record FuzzRunResult(int Sent, IReadOnlyList<FuzzFailure> Failures, IReadOnlyDictionary<string, int> Statuses, long PeakResidentBytes,
    IReadOnlyList<string> InFlightAtPeak, TimeSpan Took);

/// <summary>
/// Sends a seed's requests to the server process from a few concurrent workers, samples the process's resident
/// memory throughout, and keeps every request that got a 5xx, no answer within the time limit, or a dropped
/// connection. Requests are generated lazily (some are tens of megabytes).
/// </summary>
internal sealed class FuzzRunner(ServerProcess server, TimeSpan requestTimeout)
{
    /// <summary>The client sends bytes as given: headers as Latin-1 (0x80–0xFF as single bytes), no cookies kept, no redirects followed.</summary>
    public static HttpClient CreateClient() =>
        new(new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            RequestHeaderEncodingSelector = (_, _) => Encoding.Latin1,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        { Timeout = Timeout.InfiniteTimeSpan };

    public async Task<FuzzRunResult> RunAsync(Func<int, FuzzRequest> create, int count, int workers, CancellationToken ct)
    {
        var started = DateTime.UtcNow;
        using var http = CreateClient();
        var failures = new ConcurrentQueue<FuzzFailure>();
        var statuses = new ConcurrentDictionary<string, int>();
        var inFlight = new ConcurrentDictionary<int, string>();
        var next = -1;
        long peak = 0;
        var atPeak = new List<string>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);

        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (server.ResidentBytes() is { } rss && rss > Interlocked.Read(ref peak))
                {
                    Interlocked.Exchange(ref peak, rss);
                    lock (atPeak)
                    {
                        atPeak.Clear();
                        atPeak.AddRange(inFlight.Values);
                    }
                }
                try { await Task.Delay(25, stop.Token); } catch (OperationCanceledException) { }
            }
        });

        async Task Worker()
        {
            while (!stop.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= count) return;
                if (server.HasExited) return;
                var request = create(i);
                inFlight[i] = request.Shape;
                var (outcome, excerpt) = await SendAsync(http, request, stop.Token);
                if (outcome == "connection dropped")
                {
                    // Kestrel answers a request it cannot parse (a header value that is not ASCII) with 400 and closes
                    // the connection at once, as HTTP/1.1 lets it; a client still sending a large body then sees its
                    // write fail instead of the answer. Sent again, such a request is answered; a server that really
                    // gives up mid-request drops it every time. Up to three more tries: which side wins that race is
                    // the machine's timing, and under CI's load one retry lost it too (a 1.5 MB body, answered 400 alone).
                    for (var retry = 0; retry < 3; retry++)
                    {
                        var (again, againExcerpt) = await SendAsync(http, request, stop.Token);
                        if (again[0] is not ('2' or '3' or '4')) continue;
                        (outcome, excerpt) = ($"{again} (closed while the body was sent)", againExcerpt);
                        break;
                    }
                }
                inFlight.TryRemove(i, out _);
                statuses.AddOrUpdate(outcome, 1, (_, n) => n + 1);
                if (!outcome.StartsWith('2') && !outcome.StartsWith('3') && !outcome.StartsWith('4'))
                    failures.Enqueue(new FuzzFailure(request, outcome, excerpt));
            }
        }

        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(Worker, CancellationToken.None)));
        await stop.CancelAsync();
        await sampler;
        return new FuzzRunResult(Math.Min(next, count), [.. failures], statuses, peak, atPeak, DateTime.UtcNow - started);
    }

    /// <summary>Sends one request; the outcome is the status code, or "no answer in N s", or "connection dropped".</summary>
    public async Task<(string Outcome, string Excerpt)> SendAsync(HttpClient http, FuzzRequest request, CancellationToken ct)
    {
        using var message = ToMessage(request);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(requestTimeout);
        try
        {
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var excerpt = await ReadExcerptAsync(response, timeout.Token);
            return (((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), excerpt);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return ($"no answer in {requestTimeout.TotalSeconds:0} s", "");
        }
        catch (HttpRequestException e)
        {
            // The server closed the connection without an answer (Kestrel does so for framing it refuses only after
            // answering 400/413/431; a drop means the application or the runtime gave up mid-request).
            return ("connection dropped", e.InnerException?.Message ?? e.Message);
        }
    }

    private static async Task<string> ReadExcerptAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[2048];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), ct)) > 0) read += n;
        // Drain the rest so the connection can be reused.
        var sink = new byte[16384];
        while (await stream.ReadAsync(sink, ct) > 0) { }
        return FuzzRequest.Printable(buffer[..read], 400);
    }

    private HttpRequestMessage ToMessage(FuzzRequest request)
    {
        var message = new HttpRequestMessage(request.Method, new Uri(server.BaseUrl + request.PathAndQuery));
        if (request.Body is not null) message.Content = new ByteArrayContent(request.Body);
        foreach (var (name, value) in request.Headers)
        {
            if (string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase))
                message.Headers.Host = value;
            else if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else message.Headers.TryAddWithoutValidation(name, value);
        }
        return message;
    }

    /// <summary>Sends the request again, alone, and returns its outcome with what the server logged meanwhile.</summary>
    public async Task<(string Outcome, IReadOnlyList<string> Log)> ReplayAsync(HttpClient http, FuzzRequest request)
    {
        server.TakeNewLog();
        var (outcome, excerpt) = await SendAsync(http, request, CancellationToken.None);
        if (!outcome.StartsWith('5')) outcome += ": " + (excerpt.Length > 200 ? excerpt[..200] : excerpt);
        // Console logging is asynchronous: give the lines a moment to arrive.
        await Task.Delay(300);
        return (outcome, server.TakeNewLog());
    }

    /// <summary>The lines of a log excerpt that say what failed: the exception line and the first frames in PressMcp.</summary>
    public static IReadOnlyList<string> Essence(IReadOnlyList<string> log)
    {
        var lines = new List<string>();
        foreach (var line in log)
        {
            var t = line.Trim();
            if (t.Contains("Exception", StringComparison.Ordinal) && !t.StartsWith("at ", StringComparison.Ordinal) && lines.Count(l => !l.StartsWith("at ", StringComparison.Ordinal)) < 3)
                lines.Add(t.Length > 300 ? t[..300] : t);
            else if (t.StartsWith("at PressMcp.", StringComparison.Ordinal) && lines.Count(l => l.StartsWith("at ", StringComparison.Ordinal)) < 3)
                lines.Add(t);
            else if (t.StartsWith("fail:", StringComparison.Ordinal) && lines.Count == 0)
                lines.Add(t);
        }
        return lines;
    }
}
