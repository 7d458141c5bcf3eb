namespace PressMcp.Import;

internal static class ImportServices
{
    /// <summary>WordPress export (WXR) import and export.</summary>
    public static IServiceCollection AddPressImport(this IServiceCollection services)
    {
        services.AddScoped<AuthorImport>();
        services.AddScoped<TermImport>();
        services.AddScoped<ImportPlanner>();
        services.AddScoped<PostImport>();
        services.AddScoped<MetaImport>();
        services.AddScoped<CommentImport>();
        services.AddScoped<WxrImporter>();
        services.AddScoped<WxrExporter>();
        return services;
    }
}
