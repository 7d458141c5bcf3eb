using System.Diagnostics;

namespace PressMcp.Import;

/// <summary>
/// Wall time an import spent per phase (reading the file, writing posts, indexing…), in the order phases first ran.
/// The benchmark prints it to show where an import's time goes; timing a phase costs two clock reads, so it is always on.
/// Phases may run on two threads at once (pass 1 reads the XML while its rows are written): the lock keeps the sums right.
/// </summary>
internal sealed class ImportPhases
{
    private readonly Lock _lock = new();
    private readonly List<(string Name, TimeSpan Wall)> _phases = [];

    public IReadOnlyList<(string Name, TimeSpan Wall)> All
    {
        get
        {
            lock (_lock) return [.. _phases];
        }
    }

    /// <summary>Times until disposed: <c>using (phases.Time("posts")) { … }</c>.</summary>
    public Timer Time(string name) => new(this, name, Stopwatch.GetTimestamp());

    public void Add(string name, TimeSpan wall)
    {
        lock (_lock)
        {
            var i = _phases.FindIndex(p => p.Name == name);
            if (i < 0) _phases.Add((name, wall));
            else _phases[i] = (name, _phases[i].Wall + wall);
        }
    }

    internal readonly struct Timer(ImportPhases phases, string name, long started) : IDisposable
    {
        public void Dispose() => phases.Add(name, Stopwatch.GetElapsedTime(started));
    }
}
