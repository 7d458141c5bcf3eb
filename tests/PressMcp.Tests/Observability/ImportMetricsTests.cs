using System.Diagnostics.Metrics;
using PressMcp.Observability;
using PressMcp.Tests.Import;

namespace PressMcp.Tests.Observability;

/// <summary>
/// <c>pressmcp.import.items</c>: what a real import through the importer adds, per kind and result. A listener hears the
/// process's one meter, shared by tests running side by side; it keeps only the measurements made within this test's
/// own asynchronous flow (an AsyncLocal marks it), so the counts are exact.
/// </summary>
[Trait(Category.Name, Category.Integration)]
[Trait(Category.Name, Category.Storage)]
public sealed class ImportMetricsTests : IAsyncLifetime
{
    private static readonly AsyncLocal<Dictionary<(string Kind, string Result), long>?> Heard = new();
    private readonly MeterListener _listener = new();
    private ImportHarness _harness = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await ImportHarness.CreateAsync();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PressMetrics.MeterName && instrument.Name == "pressmcp.import.items") listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            if (Heard.Value is not { } heard) return;
            string? kind = null, result = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "kind") kind = tag.Value as string;
                else if (tag.Key == "result") result = tag.Value as string;
            }
            lock (heard) heard[(kind!, result!)] = heard.GetValueOrDefault((kind!, result!)) + value;
        });
        _listener.Start();
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task Import_CountsItemsCreatedThenSkippedOnReimport()
    {
        var site = await _harness.CreateSiteAsync("metrics");
        var comment = WxrReimportTests.Comment(1, 0, "1", "Nice");
        var file = _harness.Write("three.xml", WxrFiles.Wxr(WxrFiles.Alice
            + WxrFiles.Item(1, "One", "one", comment) + WxrFiles.Item(2, "Two", "two") + WxrFiles.Item(3, "About", "about", type: "page")));

        var first = Heard.Value = [];
        await _harness.ImportAsync(site, file);
        Assert.Equal(2, first.GetValueOrDefault(("posts", "created")));
        Assert.Equal(1, first.GetValueOrDefault(("pages", "created")));
        Assert.Equal(1, first.GetValueOrDefault(("comments", "created")));

        var again = Heard.Value = [];
        await _harness.ImportAsync(site, file);
        Assert.Equal(0, again.GetValueOrDefault(("posts", "created")));
        Assert.Equal(2, again.GetValueOrDefault(("posts", "skipped")));
        Assert.Equal(1, again.GetValueOrDefault(("pages", "skipped")));
    }
}
