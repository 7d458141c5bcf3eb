using PressMcp.Publishing.Statistics;

namespace PressMcp.Publishing;

internal static class PublishingServices
{
    /// <summary>The public site pages, their view statistics and the scheduled publisher.</summary>
    public static IServiceCollection AddPublicSites(this IServiceCollection services)
    {
        services.AddPressOptions<PublishingOptions>();
        services.AddSingleton<PublicHeaders>();
        services.AddSingleton<Content.RenderedContent>();
        services.AddScoped<PostDetails>();
        services.AddScoped<ArticleReader>();
        services.AddScoped<PublicSiteReader>();
        services.AddSingleton<VisitorTally>();
        services.AddSingleton<ViewCounter>();
        services.AddSingleton<ViewFlusher>();
        services.AddHostedService(sp => sp.GetRequiredService<ViewFlusher>());
        services.AddSingleton<ScheduledPublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<ScheduledPublisher>());
        return services;
    }

    /// <summary>Host-name routing for sites; before <c>UseRouting</c>, which must see the rewritten path.</summary>
    public static IApplicationBuilder UsePublicSiteHosts(this IApplicationBuilder app) => app.UseMiddleware<SiteHostRouting>();
}
