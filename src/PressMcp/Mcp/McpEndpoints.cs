using PressMcp.Abilities;
using PressMcp.Accounts;
using PressMcp.Activity;
using PressMcp.Mcp.Settings;
using PressMcp.OAuth;

namespace PressMcp.Mcp;

/// <summary>
/// The WordPress.com-style MCP endpoint, <c>POST /wpcom/v2/mcp/v1</c>: OAuth bearer tokens issued for this
/// resource, every site the grant names, the <c>wpcom-mcp-*</c> tools of <see cref="WpcomTools"/>.
/// </summary>
internal static class McpEndpoints
{
    public static IServiceCollection AddPressMcp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPressOptions<ActivityOptions>();
        services.AddAbility<UserSitesAbility>();
        services.AddAbility<UserProfileAbility>();
        services.AddAbility<UpdateProfileAbility>();
        services.AddAbility<Content.Abilities.PostSearchAbility>();
        services.AddAbility<Content.Abilities.PostGetAbility>();
        services.AddAbility<Sites.Abilities.SiteSettingsAbility>();
        services.AddAbility<Sites.Abilities.SiteUsersAbility>();
        services.AddAbility<Sites.Abilities.UpdateSiteSettingsAbility>();
        services.AddAbility<Sites.Abilities.AddMemberAbility>();
        services.AddAbility<Sites.Abilities.UpdateMemberRoleAbility>();
        services.AddAbility<Sites.Abilities.RemoveMemberAbility>();
        services.AddAbility<Publishing.Statistics.StatisticsAbility>();
        services.AddAbility<Content.Abilities.CreatePostAbility>();
        services.AddAbility<Content.Abilities.UpdatePostAbility>();
        services.AddAbility<Content.Abilities.TrashPostAbility>();
        services.AddAbility<Content.Abilities.CreatePageAbility>();
        services.AddAbility<Content.Abilities.UpdatePageAbility>();
        services.AddAbility<Content.Abilities.TrashPageAbility>();
        services.AddAbility<Content.Abilities.DeletePostAbility>();
        services.AddAbility<Content.Abilities.DeletePageAbility>();
        services.AddAbility<Content.Abilities.RestorePostAbility>();
        services.AddAbility<Content.Abilities.RestorePageAbility>();
        services.AddAbility<Content.Abilities.RestoreRevisionAbility>();
        services.AddAbility<Content.Abilities.CommentSearchAbility>();
        services.AddAbility<Content.Abilities.CommentReplyAbility>();
        services.AddAbility<Content.Abilities.CommentModerateAbility>();
        services.AddAbility<Content.Abilities.CommentUpdateAbility>();
        services.AddAbility<Content.Abilities.CommentDeleteAbility>();
        services.AddAbility<Content.Abilities.CreateCategoryAbility>();
        services.AddAbility<Content.Abilities.CreateTagAbility>();
        services.AddAbility<Content.Abilities.UpdateCategoryAbility>();
        services.AddAbility<Content.Abilities.DeleteCategoryAbility>();
        services.AddAbility<Content.Abilities.UpdateTagAbility>();
        services.AddAbility<Content.Abilities.DeleteTagAbility>();
        services.AddScoped<Content.Abilities.AuthoringResults>();
        services.AddScoped<Content.Authoring.CommentEditor>();
        services.AddScoped<Content.Search.CommentSearch>();
        services.AddScoped<ContentAuthoringTool>();
        services.AddSingleton<WpcomResults>();
        services.AddSingleton<AbilityRegistry>();
        services.AddScoped<AbilityInvoker>();
        services.AddScoped<PersonCalls>();
        services.AddScoped<McpSettingsStore>();
        services.AddScoped<CallerAccess>();
        services.AddScoped<AbilityCatalogue>();
        services.AddSingleton<CallerAccessCache>();
        services.AddSingleton<ProfileCache>();
        services.AddScoped<WpcomTools>();
        services.AddSingleton<McpDispatcher>();
        // Stateless (the dispatcher is a singleton too): one instance, not one per request.
        services.AddSingleton<McpHttpTransport>();
        services.AddSingleton<ActivityLog>();
        services.AddScoped<ActivityQuery>();
        services.AddSingleton<ActivityFlusher>();
        services.AddHostedService(sp => sp.GetRequiredService<ActivityFlusher>());
        services.AddMcpAdapter();
        services.AddMcpAuthentication();
        return services;
    }

    public static void MapPressMcp(this IEndpointRouteBuilder app)
    {
        app.MapPost(McpResources.WpcomPath, (HttpContext http, McpHttpTransport transport, WpcomTools tools) => transport.HandleAsync(http, tools))
            .RequireAuthorization(McpAuthenticationSchemes.WpcomPolicy);
        app.MapMethods(McpResources.WpcomPath, ["GET", "DELETE"], McpHttpTransport.MethodNotAllowed);
        app.MapMcpAdapter();
    }
}
