using PressMcp.Accounts;
using PressMcp.Content;

namespace PressMcp.Tests.Accounts;

[Trait(Category.Name, Category.Unit)]
public sealed class CapabilityTests
{
    private const long Me = 10;
    private const long Other = 20;

    private static SiteActor As(string? role, bool serverAdmin = false) => new(Me, serverAdmin, role);

    public static TheoryData<string, string, bool> PrimitiveMatrix() => new()
    {
        // role, capability, expected — WordPress's default table.
        { Roles.Subscriber, Caps.Read, true },
        { Roles.Subscriber, Caps.EditPosts, false },
        { Roles.Contributor, Caps.EditPosts, true },
        { Roles.Contributor, Caps.DeletePosts, true },
        { Roles.Contributor, Caps.PublishPosts, false },
        { Roles.Contributor, Caps.UploadFiles, false },
        { Roles.Author, Caps.PublishPosts, true },
        { Roles.Author, Caps.UploadFiles, true },
        { Roles.Author, Caps.EditPublishedPosts, true },
        { Roles.Author, Caps.EditOthersPosts, false },
        { Roles.Author, Caps.EditPages, false },
        { Roles.Author, Caps.ManageCategories, false },
        { Roles.Editor, Caps.EditOthersPosts, true },
        { Roles.Editor, Caps.ModerateComments, true },
        { Roles.Editor, Caps.ManageCategories, true },
        { Roles.Editor, Caps.PublishPages, true },
        { Roles.Editor, Caps.ReadPrivatePosts, true },
        { Roles.Editor, Caps.ManageOptions, false },
        { Roles.Editor, Caps.ListUsers, false },
        { Roles.Editor, Caps.Import, false },
        { Roles.Administrator, Caps.ManageOptions, true },
        { Roles.Administrator, Caps.ListUsers, true },
        { Roles.Administrator, Caps.EditUsers, true },
        { Roles.Administrator, Caps.Import, true },
        { Roles.Administrator, Caps.Export, true },
    };

    [Theory]
    [MemberData(nameof(PrimitiveMatrix))]
    public void Can_PrimitiveCapability_FollowsWordPressTable(string role, string capability, bool expected) =>
        Assert.Equal(expected, Permissions.Can(As(role), capability));

    [Fact]
    public void RoleTable_EachRoleContainsTheOneBelow()
    {
        for (var i = 0; i + 1 < Roles.All.Count; i++)
            Assert.Superset(new HashSet<string>(RoleCapabilities.Of(Roles.All[i + 1])), new HashSet<string>(RoleCapabilities.Of(Roles.All[i])));
        Assert.Equal(new HashSet<string> { Caps.Read }, RoleCapabilities.Of(Roles.Subscriber));
    }

    [Fact]
    public void Can_NonMember_HasNoCapability()
    {
        Assert.False(Permissions.Can(As(null), Caps.Read));
        Assert.False(Permissions.Can(As("unknown-role"), Caps.Read));
    }

    [Fact]
    public void Can_ServerAdmin_HasEveryCapabilityEverywhere()
    {
        Assert.True(Permissions.Can(As(null, serverAdmin: true), Caps.ManageOptions));
        Assert.True(Permissions.Can(As(null, serverAdmin: true), Caps.EditPost, new PostFacts(PostTypes.Post, PostStatuses.Publish, Other)));
    }

    public static TheoryData<string, string, string, long, bool> OwnerMatrix() => new()
    {
        // role, meta capability, status, author, expected
        { Roles.Author, Caps.EditPost, PostStatuses.Draft, Me, true },
        { Roles.Author, Caps.EditPost, PostStatuses.Publish, Me, true },
        { Roles.Author, Caps.EditPost, PostStatuses.Draft, Other, false },
        { Roles.Author, Caps.EditPost, PostStatuses.Publish, Other, false },
        { Roles.Author, Caps.DeletePost, PostStatuses.Publish, Me, true },
        { Roles.Author, Caps.DeletePost, PostStatuses.Publish, Other, false },
        { Roles.Contributor, Caps.EditPost, PostStatuses.Draft, Me, true },
        { Roles.Contributor, Caps.EditPost, PostStatuses.Pending, Me, true },
        // A contributor cannot change a post once it is published.
        { Roles.Contributor, Caps.EditPost, PostStatuses.Publish, Me, false },
        { Roles.Contributor, Caps.DeletePost, PostStatuses.Publish, Me, false },
        { Roles.Contributor, Caps.PublishPost, PostStatuses.Draft, Me, false },
        { Roles.Author, Caps.PublishPost, PostStatuses.Draft, Me, true },
        { Roles.Editor, Caps.EditPost, PostStatuses.Publish, Other, true },
        { Roles.Editor, Caps.EditPost, PostStatuses.Private, Other, true },
        { Roles.Editor, Caps.DeletePost, PostStatuses.Private, Other, true },
        { Roles.Subscriber, Caps.ReadPost, PostStatuses.Publish, Other, true },
        { Roles.Subscriber, Caps.ReadPost, PostStatuses.Private, Other, false },
        { Roles.Subscriber, Caps.ReadPost, PostStatuses.Draft, Other, false },
        { Roles.Author, Caps.ReadPost, PostStatuses.Draft, Me, true },
        { Roles.Author, Caps.ReadPost, PostStatuses.Draft, Other, false },
        { Roles.Author, Caps.ReadPost, PostStatuses.Private, Other, false },
        { Roles.Author, Caps.ReadPost, PostStatuses.Private, Me, true },
        { Roles.Editor, Caps.ReadPost, PostStatuses.Private, Other, true },
        { Roles.Editor, Caps.ReadPost, PostStatuses.Draft, Other, true },
        { Roles.Contributor, Caps.EditComment, PostStatuses.Draft, Me, true },
        { Roles.Contributor, Caps.EditComment, PostStatuses.Draft, Other, false },
    };

    [Theory]
    [MemberData(nameof(OwnerMatrix))]
    public void Can_MetaCapabilityOnPost_AppliesOwnerRules(string role, string capability, string status, long author, bool expected) =>
        Assert.Equal(expected, Permissions.Can(As(role), capability, new PostFacts(PostTypes.Post, status, author)));

    [Theory]
    [InlineData(Roles.Author, false)]
    [InlineData(Roles.Contributor, false)]
    [InlineData(Roles.Editor, true)]
    public void Can_EditOwnPage_NeedsPageCapabilities(string role, bool expected) =>
        Assert.Equal(expected, Permissions.Can(As(role), Caps.EditPost, new PostFacts(PostTypes.Page, PostStatuses.Draft, Me)));

    [Fact]
    public void MissingCapabilities_NamesWhatIsLacking()
    {
        var missing = Permissions.MissingCapabilities(As(Roles.Author), Caps.EditPost, new PostFacts(PostTypes.Post, PostStatuses.Publish, Other));
        Assert.Equal([Caps.EditOthersPosts], missing);
    }

    [Fact]
    public void Can_MetaCapabilityWithoutPost_IsAProgrammingError() =>
        Assert.Throws<ArgumentException>(() => Permissions.Can(As(Roles.Editor), Caps.EditPost));
}
