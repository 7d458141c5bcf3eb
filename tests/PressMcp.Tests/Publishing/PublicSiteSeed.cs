using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts;
using PressMcp.Content;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Tests.Publishing;

/// <summary>Makes users, sites and content through the real services (ContentSeed, SiteDirectory) of a running server.</summary>
internal sealed class PublicSiteSeed(IServiceProvider services)
{
    private async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> body)
    {
        await using var scope = services.CreateAsyncScope();
        return await body(scope.ServiceProvider);
    }

    private static T Ok<T>(Outcome<T> outcome) => outcome.Succeeded ? outcome.Value! : throw new InvalidOperationException(outcome.Problem!.Message);

    public Task<long> UserAsync(string login, string? displayName = null) => InScopeAsync(async sp =>
        Ok(await sp.GetRequiredService<UserAccounts>().CreateAsync(new NewUser(login, $"{login}@example.com", "correct horse battery", DisplayName: displayName))).Id);

    public Task<Site> SiteAsync(string slug, string owner, string timeZone = "UTC", string? host = null, string? title = null) => InScopeAsync(async sp =>
        Ok(await sp.GetRequiredService<SiteDirectory>().CreateAsync(new NewSite(slug, title ?? slug, owner, host, TimeZone: timeZone))));

    public Task<MemberSummary> MemberAsync(Site site, string login, string role) => InScopeAsync(async sp =>
        Ok(await sp.GetRequiredService<SiteDirectory>().SetMemberAsync(site, login, role)));

    public Task<Post> PostAsync(Site site, NewPost post) => InScopeAsync(async sp => Ok(await new ContentSeed(sp).CreateAsync(site, post)));

    public Task<Post> PublishedAsync(Site site, string title, DateTime dateUtc, string content = "", long? author = null, bool sticky = false, IReadOnlyList<long>? terms = null) =>
        PostAsync(site, new NewPost { Title = title, Content = content, Status = PostStatuses.Publish, DateUtc = dateUtc, AuthorId = author, Sticky = sticky, TermIds = terms ?? [] });

    public Task<Term> TermAsync(Site site, string taxonomy, string name, long? parent = null) => InScopeAsync(async sp =>
        Ok(await new ContentSeed(sp).EnsureTermAsync(site, taxonomy, name, parent)));

    public Task<Comment> CommentAsync(Site site, long postId, string author, string text, DateTime dateUtc, string status = CommentStatuses.Approved, long? parentId = null, string url = "") =>
        InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<PressDbContext>();
            var comment = new Comment
            {
                SiteId = site.Id,
                Id = await sp.GetRequiredService<SiteSequences>().NextCommentIdsAsync(site.Id),
                PostId = postId,
                ParentId = parentId,
                AuthorName = author,
                AuthorUrl = url,
                Content = text,
                DateUtc = dateUtc,
                Status = status,
            };
            db.Comments.Add(comment);
            await db.SaveChangesAsync();
            return comment;
        });

    public Task<int> SetStatusAsync(Site site, long postId, string status) => InScopeAsync(sp =>
        sp.GetRequiredService<PressDbContext>().Posts.Where(p => p.SiteId == site.Id && p.Id == postId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, status)));

    public Task<int> SetOptionAsync(Site site, string name, string value) => InScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<PressDbContext>();
        db.SiteOptions.Add(new SiteOption { SiteId = site.Id, Name = name, Value = value });
        return await db.SaveChangesAsync();
    });

    public Task<T> DbAsync<T>(Func<PressDbContext, Task<T>> query) => InScopeAsync(sp => query(sp.GetRequiredService<PressDbContext>()));
}
