using System.Text.Json;
using PressMcp.Abilities;

namespace PressMcp.Tests.Media.Scans;

/// <summary>
/// The VMFA abilities called as vmfa-ai-ability 1.2 defines them, through the adapter endpoint: the plugin's argument
/// names (<c>type</c>, <c>unassigned_only</c>, cancel without <c>scan_id</c>, conditions as <c>{type, operator, value}</c>,
/// <c>description</c>), its output names, and its categories.
/// </summary>
[Trait(Category.Name, Category.Integration)]
public sealed class VmfaShapeTests(ModelScanFixture f) : IClassFixture<ModelScanFixture>
{
    private static (string, string, string) Condition(JsonElement c) =>
        (c.GetProperty("type").GetString()!, c.GetProperty("operator").GetString()!, c.GetProperty("value").GetString()!);

    [Fact]
    public async Task Categories_EachVmfaAbilityIsInItsPluginCategory()
    {
        var site = await f.NewSiteAsync();
        var password = await AdapterCalls.CreatePasswordAsync(f.Harness.Server.Server.Store, "alice", "categories");
        var expected = new Dictionary<string, string>
        {
            ["vmfo/list-folders"] = "vmfo-folder-management",
            ["vmfo/add-to-folder"] = "vmfo-folder-management",
            ["vmfo-cleanup/list-results"] = "vmfo-media-cleanup",
            ["vmfo-rules/create-rule"] = "vmfo-rules-engine",
            ["vmfo-ai-organizer/cancel-scan"] = "vmfo-ai-organizer",
            ["vmfo-folder-exporter/start-export"] = "vmfo-folder-exporter",
        };
        foreach (var (ability, category) in expected)
        {
            using var response = await AdapterCalls.PostAsync(f.Harness.Server.Anonymous(), f.Harness.Server.SiteEndpoint(site),
                AdapterCalls.Call("mcp-adapter-get-ability-info", new { ability_name = ability }), AdapterCalls.Basic("alice", password));
            var info = AdapterCalls.TextResult(await AdapterCalls.JsonOf(response));
            Assert.Equal((ability, category), (ability, info.GetProperty("category").GetString()!));
        }
    }

    [Fact]
    public async Task ListResults_Type_FiltersAsThePluginDoes_AndItemsCarryItsFields()
    {
        var site = await f.NewSiteAsync();
        var original = await f.UploadIdAsync(site, MediaSamples.Png(3, 3, 9, 9, 9), "original.png");
        var copy = await f.UploadIdAsync(site, MediaSamples.Png(3, 3, 9, 9, 9), "copy.png");
        var started = await f.Harness.OkAsync("alice", "vmfo-cleanup/start-scan", new { }, site);
        await ScanKit.WaitAsync(f.Services, "vmfo-cleanup/get-scan-status", started.GetProperty("id").GetInt64(), site);
        await f.Harness.OkAsync("alice", "vmfo-cleanup/trash", new { attachment_ids = new[] { original } }, site);

        var duplicates = await f.Harness.OkAsync("erin", "vmfo-cleanup/list-results", new { type = "duplicate" }, site);
        var item = Assert.Single(duplicates.GetProperty("items").EnumerateArray());
        Assert.Equal(copy, item.GetProperty("id").GetInt64());
        Assert.Equal("duplicate", item.GetProperty("type").GetString());
        Assert.Equal(MediaSamples.Png(3, 3, 9, 9, 9).Length, item.GetProperty("file_size").GetInt64());
        Assert.EndsWith(".png", item.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, duplicates.GetProperty("total_pages").GetInt32());

        // flagged: every finding; both are unused, and the copy is a duplicate as well.
        var flagged = await f.Harness.OkAsync("erin", "vmfo-cleanup/list-results", new { type = "flagged", per_page = 1 }, site);
        Assert.Equal(3, flagged.GetProperty("total").GetInt32());
        Assert.Equal(3, flagged.GetProperty("total_pages").GetInt32());
        // trash: the findings whose media item is in the trash.
        var trash = await f.Harness.OkAsync("erin", "vmfo-cleanup/list-results", new { type = "trash" }, site);
        Assert.Equal([original], trash.GetProperty("items").EnumerateArray().Select(x => x.GetProperty("id").GetInt64()));

        var wrong = await f.Harness.CallAsync("erin", "vmfo-cleanup/list-results", new { type = "huge" }, site);
        Assert.Equal(CallOutcome.Invalid, wrong.Outcome);
    }

    [Fact]
    public async Task CancelScan_WithoutScanId_CancelsTheSitesRunningScan_AndIsSafeWhenNoneRuns()
    {
        var s = await OrganizerSite.CreateAsync(f);
        var gate = new SemaphoreSlim(0);
        f.Chat.Gate = gate;
        try
        {
            var started = await f.Harness.OkAsync("alice", "vmfo-ai-organizer/start-scan", new { }, s.Slug);
            var id = started.GetProperty("id").GetInt64();
            await ScanKit.WaitAsync(f.Services, "vmfo-ai-organizer/get-scan-status", id, s.Slug, x => x.GetProperty("status").GetString() == "running");

            var cancelled = await f.Harness.OkAsync("alice", "vmfo-ai-organizer/cancel-scan", new { }, s.Slug);
            Assert.True(cancelled.GetProperty("cancelled").GetBoolean());
            Assert.Equal((id, "cancelled"), (cancelled.GetProperty("id").GetInt64(), cancelled.GetProperty("status").GetString()));
            var after = await f.Harness.OkAsync("alice", "vmfo-ai-organizer/get-scan-status", new { scan_id = id }, s.Slug);
            Assert.Equal("cancelled", after.GetProperty("status").GetString());
        }
        finally
        {
            f.Chat.Gate = null;
            gate.Release(10);
        }
        var nothing = await f.Harness.OkAsync("alice", "vmfo-ai-organizer/cancel-scan", new { }, s.Slug);
        Assert.False(nothing.GetProperty("cancelled").GetBoolean());
        Assert.Equal("idle", nothing.GetProperty("status").GetString());
        var cleanup = await f.Harness.OkAsync("alice", "vmfo-cleanup/cancel-scan", new { }, s.Slug);
        Assert.False(cleanup.GetProperty("cancelled").GetBoolean());
    }

    [Fact]
    public async Task Rules_PluginConditionsAndDescription_CreateUpdateAndPlaceUploads()
    {
        var site = await f.NewSiteAsync();
        var invoices = (await f.Harness.OkAsync("alice", "vmfo/create-folder", new { name = "Invoices" }, site)).GetProperty("id").GetInt64();
        var created = await f.Harness.OkAsync("alice", "vmfo-rules/create-rule", new
        {
            name = "Invoices", folder_id = invoices, priority = 10, description = "Route invoice PDFs to the Invoices folder.",
            conditions = new[] { new { type = "filename", @operator = "contains", value = "invoice" }, new { type = "mimetype", @operator = "equals", value = "application/pdf" } },
        }, site);
        Assert.Equal("Route invoice PDFs to the Invoices folder.", created.GetProperty("description").GetString());
        Assert.Equal([("filename", "contains", "invoice"), ("mimetype", "equals", "application/pdf")], created.GetProperty("conditions").EnumerateArray().Select(Condition));
        var ruleId = created.GetProperty("id").GetInt64();

        var pdf = await f.UploadAsync(site, MediaSamples.Pdf(), "Invoice_Jan.pdf");
        Assert.Equal(invoices, pdf.GetProperty("folder_id").GetInt64());
        var png = await f.UploadAsync(site, MediaSamples.Png(2, 2), "invoice-scan.png");
        Assert.Equal(JsonValueKind.Null, png.GetProperty("folder_id").ValueKind);

        var updated = await f.Harness.OkAsync("alice", "vmfo-rules/update-rule", new
        {
            // The plugin's rule ids are strings: the same digits as a string name the rule.
            rule_id = AbilityHarness.Id(ruleId), description = "Any invoice", conditions = new[] { new { type = "filename", @operator = "starts_with", value = "INVOICE" } },
        }, site);
        Assert.Equal("Any invoice", updated.GetProperty("description").GetString());
        Assert.Equal([("filename", "starts_with", "INVOICE")], updated.GetProperty("conditions").EnumerateArray().Select(Condition));
        var listed = await f.Harness.OkAsync("erin", "vmfo-rules/list-rules", new { }, site);
        Assert.Equal("Any invoice", listed.GetProperty("rules")[0].GetProperty("description").GetString());

        var badOperator = await f.Harness.CallAsync("alice", "vmfo-rules/update-rule", new { rule_id = ruleId, conditions = new[] { new { type = "filename", @operator = "like", value = "x" } } }, site);
        Assert.Equal(CallOutcome.Invalid, badOperator.Outcome);
        Assert.Contains("operator", badOperator.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PreviewAndApply_UnassignedOnly_WithThePluginsCounts()
    {
        var site = await f.NewSiteAsync();
        var invoices = (await f.Harness.OkAsync("alice", "vmfo/create-folder", new { name = "Invoices" }, site)).GetProperty("id").GetInt64();
        var elsewhere = (await f.Harness.OkAsync("alice", "vmfo/create-folder", new { name = "Elsewhere" }, site)).GetProperty("id").GetInt64();
        var loose = await f.UploadIdAsync(site, MediaSamples.Pdf(), "invoice-loose.pdf");
        var filed = await f.UploadIdAsync(site, MediaSamples.Pdf(), "invoice-filed.pdf", new { folder_id = elsewhere });
        await f.UploadIdAsync(site, MediaSamples.Png(2, 2), "cat.png");
        var rule = (await f.Harness.OkAsync("alice", "vmfo-rules/create-rule", new
        {
            name = "Invoices", folder_id = invoices, conditions = new[] { new { type = "filename", @operator = "contains", value = "invoice" } },
        }, site)).GetProperty("id").GetInt64();

        var unassigned = await f.Harness.OkAsync("erin", "vmfo-rules/preview", new { unassigned_only = true }, site);
        Assert.Equal((2, 1, 1), (unassigned.GetProperty("total_count").GetInt32(), unassigned.GetProperty("matched").GetInt32(), unassigned.GetProperty("unmatched").GetInt32()));
        var match = Assert.Single(unassigned.GetProperty("items").EnumerateArray());
        Assert.Equal((loose, rule, invoices), (match.GetProperty("attachment_id").GetInt64(), match.GetProperty("matched_rule_id").GetInt64(), match.GetProperty("target_folder_id").GetInt64()));

        var all = await f.Harness.OkAsync("erin", "vmfo-rules/preview", new { unassigned_only = false }, site);
        Assert.Equal((3, 2), (all.GetProperty("total_count").GetInt32(), all.GetProperty("matched").GetInt32()));
        Assert.Equal(new[] { filed, loose }.Order(), all.GetProperty("items").EnumerateArray().Select(x => x.GetProperty("attachment_id").GetInt64()).Order());

        var applied = await f.Harness.OkAsync("alice", "vmfo-rules/apply", new { unassigned_only = false }, site);
        Assert.Equal((3, 2, 1), (applied.GetProperty("processed").GetInt32(), applied.GetProperty("assigned").GetInt32(), applied.GetProperty("skipped").GetInt32()));
        var folder = await f.Harness.OkAsync("erin", "vmfo/list-folders", new { search = "Invoices" }, site);
        Assert.Equal(2, folder.GetProperty("folders")[0].GetProperty("count").GetInt32());

        var disagree = await f.Harness.CallAsync("alice", "vmfo-rules/apply", new { unassigned_only = true, scope = "all" }, site);
        Assert.Equal("scope 'all' and unassigned_only true disagree; give one of them", disagree.Message);
    }

    [Fact]
    public async Task PreviewAndApply_OneRuleById_EvenDisabled_WithThePluginsLimitAndOffset()
    {
        var site = await f.NewSiteAsync();
        var invoices = (await f.Harness.OkAsync("alice", "vmfo/create-folder", new { name = "Invoices" }, site)).GetProperty("id").GetInt64();
        var photos = (await f.Harness.OkAsync("alice", "vmfo/create-folder", new { name = "Photos" }, site)).GetProperty("id").GetInt64();
        for (var i = 0; i < 3; i++) await f.UploadIdAsync(site, MediaSamples.Pdf(), $"invoice-{i}.pdf");
        var cat = await f.UploadIdAsync(site, MediaSamples.Png(2, 2), "cat.png");
        await f.Harness.OkAsync("alice", "vmfo-rules/create-rule", new
        {
            name = "Invoices", folder_id = invoices, conditions = new[] { new { type = "filename", @operator = "contains", value = "invoice" } },
        }, site);
        var pictures = (await f.Harness.OkAsync("alice", "vmfo-rules/create-rule", new
        {
            name = "Pictures", folder_id = photos, enabled = false, conditions = new[] { new { type = "mimetype", @operator = "starts_with", value = "image/" } },
        }, site)).GetProperty("id").GetInt64();

        // The plugin's example: one rule by its id (as a string), unassigned only; a disabled rule named by id still runs.
        var one = await f.Harness.OkAsync("erin", "vmfo-rules/preview", new { rule_id = pictures.ToString(System.Globalization.CultureInfo.InvariantCulture), unassigned_only = true }, site);
        var match = Assert.Single(one.GetProperty("items").EnumerateArray());
        Assert.Equal((cat, pictures), (match.GetProperty("attachment_id").GetInt64(), match.GetProperty("matched_rule_id").GetInt64()));
        // All enabled rules, a page of the items: the counts still cover every match.
        var page = await f.Harness.OkAsync("erin", "vmfo-rules/preview", new { limit = 2, offset = 1 }, site);
        Assert.Equal((3, 2), (page.GetProperty("matched").GetInt32(), page.GetProperty("items").GetArrayLength()));

        var applied = await f.Harness.OkAsync("alice", "vmfo-rules/apply", new { rule_id = pictures }, site);
        Assert.Equal(1, applied.GetProperty("assigned").GetInt32());
        var missing = await f.Harness.CallAsync("alice", "vmfo-rules/apply", new { rule_id = 999999 }, site);
        Assert.Equal("no media rule with id 999999 on this site", missing.Message);
        // Computed members of the input are not arguments.
        var stray = await f.Harness.CallAsync("alice", "vmfo-rules/preview", new { effective_scope = "all" }, site);
        Assert.Contains("unknown field 'effective_scope'", stray.Message, StringComparison.Ordinal);
    }
}
