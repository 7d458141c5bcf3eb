using Microsoft.EntityFrameworkCore;
using PressMcp.Accounts;
using PressMcp.Sites;
using PressMcp.Storage;

namespace PressMcp.Tests.Sites;

/// <summary>
/// <see cref="SiteDirectory"/>'s membership rules, the one home the pages, the abilities and the command line share:
/// login or e-mail, and at least one administrator kept even when two requests race to demote or remove the last two.
/// Runs on SQLite and on PostgreSQL (where only the site row's lock keeps the rule).
/// </summary>
[Trait(Category.Name, Category.Storage)]
public sealed class MembershipRulesTests : IAsyncLifetime
{
    private TestServices _services = null!;
    private Site _site = null!;

    public async ValueTask InitializeAsync()
    {
        _services = await TestServices.CreateAsync();
        await using var scope = _services.Scope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        foreach (var login in new[] { "owner", "second", "writer" })
            Assert.True((await accounts.CreateAsync(new NewUser(login, $"{login}@example.com", "correct horse battery"))).Succeeded);
        _site = (await scope.ServiceProvider.GetRequiredService<SiteDirectory>().CreateAsync(new NewSite("news", "News", "owner"))).Value!;
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    private async Task<T> InScopeAsync<T>(Func<SiteDirectory, Task<T>> body)
    {
        await using var scope = _services.Scope();
        return await body(scope.ServiceProvider.GetRequiredService<SiteDirectory>());
    }

    private Task<int> AdministratorsAsync() => InScopeAsync(d => d.AdministratorCountAsync(_site.Id));

    [Fact]
    public async Task SetMember_ByEmail_FindsTheUser_UnknownAddressNamesIt()
    {
        var added = await InScopeAsync(d => d.SetMemberAsync(_site, "Writer@Example.COM", Roles.Author));
        Assert.Equal(("writer", Roles.Author), (added.Value!.Login, added.Value.Role));
        var unknown = await InScopeAsync(d => d.SetMemberAsync(_site, "ghost@example.com", Roles.Author));
        Assert.Equal((ErrorKind.NotFound, "no user with the login or e-mail address 'ghost@example.com'"), (unknown.Problem!.Kind, unknown.Problem.Message));
    }

    [Fact]
    public async Task DemoteOrRemove_TheLastTwoAdministratorsAtOnce_OneAdministratorStays()
    {
        await InScopeAsync(d => d.SetMemberAsync(_site, "second", Roles.Administrator));
        for (var round = 0; round < 12; round++)
        {
            // Each request in its own scope (its own connection), as two browsers would; both start together.
            var start = new TaskCompletionSource();
            async Task<bool> Race(string login) => await InScopeAsync(async d =>
            {
                await start.Task;
                return (round % 2 == 0 ? await d.SetMemberAsync(_site, login, Roles.Editor) : await d.RemoveMemberAsync(_site, login)).Succeeded;
            });
            var first = Task.Run(() => Race("owner"));
            var second = Task.Run(() => Race("second"));
            start.SetResult();
            var outcomes = await Task.WhenAll(first, second);

            Assert.Equal(1, await AdministratorsAsync());
            Assert.Equal(1, outcomes.Count(ok => ok));
            // Both administrators again for the next round.
            foreach (var login in new[] { "owner", "second" })
                Assert.True((await InScopeAsync(d => d.SetMemberAsync(_site, login, Roles.Administrator))).Succeeded);
        }
    }
}
