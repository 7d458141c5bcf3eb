using Microsoft.EntityFrameworkCore;
using PressMcp.Content;
using PressMcp.Storage;

namespace PressMcp.Media;

/// <summary>A rule's conditions as given; a null is a condition not set.</summary>
internal sealed record RuleConditions(
    string? MimeType = null, string? FileNamePattern = null, DateTime? UploadedAfterUtc = null, DateTime? UploadedBeforeUtc = null,
    long? MinSizeBytes = null, long? MaxSizeBytes = null, int? MinWidth = null, int? MaxWidth = null, int? MinHeight = null, int? MaxHeight = null,
    long? UploaderId = null, IReadOnlyList<TextCondition>? Text = null);

/// <summary>What a create or update sets; a null leaves the value as it is (on create: the default).</summary>
internal sealed record RuleChanges(string? Name = null, FolderRef? Folder = null, bool? Enabled = null, int? Priority = null, RuleConditions? Conditions = null, string? Description = null);

/// <summary>One move that applying the rules makes (or would make, in a preview).</summary>
internal sealed record PlannedMove(long MediaId, string FileName, long? FromFolderId, long ToFolderId, string ToFolderPath, long RuleId, string RuleName, string Title = "");

internal sealed record RulePlan(int Examined, IReadOnlyList<PlannedMove> Moves, int Unmatched, int AlreadyPlaced);

/// <summary>
/// Which media a preview or apply looks at: unassigned ones only (the default) or all, optionally of one MIME type or
/// family; and which rules: every enabled one, or only <paramref name="RuleId"/> (asked for by name, so even if disabled).
/// </summary>
internal sealed record RuleScope(bool All, string? Mime, long? RuleId = null);

/// <summary>
/// Placement rules of one site: create, change, delete (each with a <see cref="Activity.ChangeRecord"/>), and applying
/// them to the library: each item in scope goes to the folder of the first enabled rule it matches (highest priority
/// first); items that match none stay where they are.
/// </summary>
internal sealed class MediaRuleService(PressDbContext db, MediaFolderService folders, TimeProvider clock)
{
    public Task<List<MediaRule>> ListAsync(long siteId, CancellationToken ct) =>
        db.MediaRules.AsNoTracking().Where(r => r.SiteId == siteId).OrderByDescending(r => r.Priority).ThenBy(r => r.Id).ToListAsync(ct);

    public async Task<Outcome<MediaRule>> CreateAsync(long siteId, RuleChanges input, RecordChange change, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(input.Name)) return Problem.Invalid("name is required");
        if (input.Folder is null) return Problem.Invalid("folder_id is required: the folder this rule places media in");
        var rule = new MediaRule { SiteId = siteId, Name = "", CreatedUtc = clock.GetUtcNow().UtcDateTime };
        var applied = await ApplyAsync(siteId, rule, input, ct);
        if (applied is not null) return applied;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.MediaRules.Add(rule);
        await db.SaveChangesAsync(ct);
        db.ChangeRecords.Add(change(MediaChanges.Rule, rule.Id, "create", null));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Outcome<MediaRule>.Ok(rule);
    }

    public async Task<Outcome<MediaRule>> UpdateAsync(long siteId, long ruleId, RuleChanges input, RecordChange change, CancellationToken ct)
    {
        var rule = await db.MediaRules.FirstOrDefaultAsync(r => r.SiteId == siteId && r.Id == ruleId, ct);
        if (rule is null) return Problem.NotFound($"no media rule with id {ruleId} on this site");
        if (input == new RuleChanges()) return Problem.Invalid("nothing to change: give name, folder_id, enabled, priority, conditions or description");
        var before = Snapshot(rule);
        var applied = await ApplyAsync(siteId, rule, input, ct);
        if (applied is not null)
        {
            db.Entry(rule).State = EntityState.Detached;
            return applied;
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.ChangeRecords.Add(change(MediaChanges.Rule, rule.Id, "update", before));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Outcome<MediaRule>.Ok(rule);
    }

    public async Task<Outcome<MediaRule>> DeleteAsync(long siteId, long ruleId, RecordChange change, CancellationToken ct)
    {
        var rule = await db.MediaRules.FirstOrDefaultAsync(r => r.SiteId == siteId && r.Id == ruleId, ct);
        if (rule is null) return Problem.NotFound($"no media rule with id {ruleId} on this site");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.ChangeRecords.Add(change(MediaChanges.Rule, rule.Id, "delete", Snapshot(rule)));
        db.MediaRules.Remove(rule);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Outcome<MediaRule>.Ok(rule);
    }

    /// <summary>What <see cref="ApplyRulesAsync"/> would move, without moving anything.</summary>
    public async Task<Outcome<RulePlan>> PreviewAsync(long siteId, RuleScope scope, CancellationToken ct) =>
        await PlanAsync(siteId, scope, ct) is { } plan ? plan : NoSuchRule(scope);

    /// <summary>Moves every item in scope to its rule's folder, all in one transaction with a change record per moved item.</summary>
    public async Task<Outcome<RulePlan>> ApplyRulesAsync(long siteId, RuleScope scope, RecordChange change, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await PlanAsync(siteId, scope, ct) is not { } plan) return NoSuchRule(scope);
        var ids = plan.Moves.Select(m => m.MediaId).ToList();
        foreach (var chunk in ids.Chunk(500))
        {
            var rows = await db.MediaFiles.Where(m => m.SiteId == siteId && chunk.Contains(m.PostId)).ToDictionaryAsync(m => m.PostId, ct);
            foreach (var move in plan.Moves.Where(m => rows.ContainsKey(m.MediaId)))
            {
                db.ChangeRecords.Add(change(MediaChanges.Media, move.MediaId, "move", new { folder_id = move.FromFolderId, rule_id = move.RuleId }));
                rows[move.MediaId].FolderId = move.ToFolderId;
            }
            await db.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        return plan;
    }

    private static Problem NoSuchRule(RuleScope scope) => Problem.NotFound($"no media rule with id {scope.RuleId} on this site");

    /// <summary>The plan; null when <see cref="RuleScope.RuleId"/> names no rule of the site.</summary>
    private async Task<RulePlan?> PlanAsync(long siteId, RuleScope scope, CancellationToken ct)
    {
        var all = await ListAsync(siteId, ct);
        var chosen = scope.RuleId is { } only ? all.Where(r => r.Id == only).ToList() : all.Where(r => r.Enabled).ToList();
        if (scope.RuleId is not null && chosen.Count == 0) return null;
        var rules = RuleMatcher.Ordered(chosen).ToList();
        var items = await FactsAsync(siteId, scope.All ? null : m => m.FolderId == null, ct);
        if (scope.Mime is { } mime) items = items.Where(i => RuleMatcher.MimeMatches(mime, i.Mime)).ToList();
        var paths = MediaFolderService.Paths(await db.MediaFolders.AsNoTracking().Where(f => f.SiteId == siteId).ToListAsync(ct));
        var moves = new List<PlannedMove>();
        int unmatched = 0, placed = 0;
        foreach (var item in items)
        {
            var rule = rules.FirstOrDefault(r => RuleMatcher.Matches(r, item));
            if (rule is null) unmatched++;
            else if (rule.FolderId == item.FolderId) placed++;
            else moves.Add(new PlannedMove(item.Id, item.FileName, item.FolderId, rule.FolderId, paths.GetValueOrDefault(rule.FolderId, "?"), rule.Id, rule.Name, item.Title));
        }
        return new RulePlan(items.Count, moves, unmatched, placed);
    }

    /// <summary>The facts rules and suggestions use, for every uploaded or imported media item of a site (optionally filtered).</summary>
    public async Task<List<MediaFacts>> FactsAsync(long siteId, System.Linq.Expressions.Expression<Func<MediaFile, bool>>? filter, CancellationToken ct)
    {
        var files = db.MediaFiles.AsNoTracking().Where(m => m.SiteId == siteId);
        if (filter is not null) files = files.Where(filter);
        return await files.OrderBy(m => m.PostId)
            .Join(db.Posts.AsNoTracking().Where(p => p.SiteId == siteId && p.Type == PostTypes.Attachment), m => m.PostId, p => p.Id, (m, p) => new MediaFacts(
                m.PostId, m.FileName, p.MimeType, m.SizeBytes, m.Width, m.Height, p.DateUtc, p.AuthorId, m.FolderId, p.Title, m.AltText, p.Excerpt))
            .ToListAsync(ct);
    }

    /// <summary>Checks and copies <paramref name="input"/> onto <paramref name="rule"/>; a problem leaves the rule to be discarded.</summary>
    private async Task<Problem?> ApplyAsync(long siteId, MediaRule rule, RuleChanges input, CancellationToken ct)
    {
        if (input.Name is { } name)
        {
            if (name.Trim().Length is 0 or > 200) return Problem.Invalid("a rule name must be 1 to 200 characters");
            rule.Name = name.Trim();
        }
        if (input.Folder is { } reference)
        {
            var folder = await folders.ResolveAsync(siteId, reference, ct);
            if (!folder.Succeeded) return folder.Problem;
            rule.FolderId = folder.Value!.Id;
        }
        if (input.Description is { } description)
        {
            if (description.Length > 1000) return Problem.Invalid("a rule description must be at most 1000 characters");
            // An empty description clears it.
            rule.Description = description.Trim().Length == 0 ? null : description.Trim();
        }
        if (input.Enabled is { } enabled) rule.Enabled = enabled;
        if (input.Priority is { } priority) rule.Priority = priority;
        if (input.Conditions is { Text: { } text })
        {
            if (text.Count is 0 or > TextCondition.MaxCount) return Problem.Invalid($"conditions must hold 1 to {TextCondition.MaxCount} conditions");
            foreach (var t in text)
            {
                if (!TextCondition.Types.Contains(t.Type)) return Problem.Invalid($"condition type '{t.Type}' is not one of {string.Join(", ", TextCondition.Types)}");
                if (!TextCondition.Operators.Contains(t.Operator)) return Problem.Invalid($"condition operator '{t.Operator}' is not one of {string.Join(", ", TextCondition.Operators)}");
                if (t.Value.Length is 0 or > TextCondition.MaxValueLength) return Problem.Invalid($"a condition value must be 1 to {TextCondition.MaxValueLength} characters");
            }
            // The plugin's conditions replace all of the rule's conditions, as the other form's do.
            rule.TextConditions = TextCondition.ToJson(text);
            rule.MimeType = rule.FileNamePattern = null;
            rule.UploadedAfterUtc = rule.UploadedBeforeUtc = null;
            rule.MinSizeBytes = rule.MaxSizeBytes = null;
            rule.MinWidth = rule.MaxWidth = rule.MinHeight = rule.MaxHeight = null;
            rule.UploaderId = null;
        }
        else if (input.Conditions is { } c)
        {
            if (c.MimeType is { } mime && !IsMimePattern(mime))
                return Problem.Invalid($"mime_type '{mime}' must be a MIME type (image/png) or a family (image/*)");
            if (c.FileNamePattern is { Length: 0 or > 255 }) return Problem.Invalid("file_name must be a glob pattern of 1 to 255 characters");
            if (c.UploadedAfterUtc > c.UploadedBeforeUtc) return Problem.Invalid("uploaded_after must not be later than uploaded_before");
            if (c.MinSizeBytes > c.MaxSizeBytes) return Problem.Invalid("min_size must not be larger than max_size");
            if (c.MinWidth > c.MaxWidth) return Problem.Invalid("min_width must not be larger than max_width");
            if (c.MinHeight > c.MaxHeight) return Problem.Invalid("min_height must not be larger than max_height");
            if (c.UploaderId is { } uploader && !await db.SiteMembers.AnyAsync(m => m.SiteId == siteId && m.UserId == uploader, ct))
                return Problem.NotFound($"the uploader (user {uploader}) is not a member of this site");
            rule.MimeType = c.MimeType?.ToLowerInvariant();
            rule.FileNamePattern = c.FileNamePattern;
            rule.UploadedAfterUtc = c.UploadedAfterUtc;
            rule.UploadedBeforeUtc = c.UploadedBeforeUtc;
            rule.MinSizeBytes = c.MinSizeBytes;
            rule.MaxSizeBytes = c.MaxSizeBytes;
            rule.MinWidth = c.MinWidth;
            rule.MaxWidth = c.MaxWidth;
            rule.MinHeight = c.MinHeight;
            rule.MaxHeight = c.MaxHeight;
            rule.UploaderId = c.UploaderId;
            rule.TextConditions = null;
        }
        return null;
    }

    private static bool IsMimePattern(string s)
    {
        var slash = s.IndexOf('/');
        if (slash <= 0 || slash == s.Length - 1 || s.Length > 100) return false;
        var type = s[..slash];
        var sub = s[(slash + 1)..];
        static bool Token(string t) => t.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '+' or '-');
        return Token(type) && (sub == "*" || Token(sub));
    }

    /// <summary>A rule as its change record keeps it (what undo would restore).</summary>
    private static object Snapshot(MediaRule r) => new
    {
        r.Name, r.FolderId, r.Enabled, r.Priority, r.MimeType, r.FileNamePattern, r.UploadedAfterUtc, r.UploadedBeforeUtc,
        r.MinSizeBytes, r.MaxSizeBytes, r.MinWidth, r.MaxWidth, r.MinHeight, r.MaxHeight, r.UploaderId, r.Description, r.TextConditions,
    };
}
