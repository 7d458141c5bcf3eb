// Scaffolds EF Core code for both providers:
//   dotnet run --project tools/MigrationGen -- <MigrationName>   a migration for each provider
//   dotnet run --project tools/MigrationGen -- --compiled-model  the compiled models (run after every model change)
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Design.Internal;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.EntityFrameworkCore.Scaffolding;
using Microsoft.Extensions.DependencyInjection;
using PressMcp.Storage;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: MigrationGen <MigrationName> | MigrationGen --compiled-model");
    return 2;
}

var projectDir = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/PressMcp"));
var assembly = typeof(PressDbContext).Assembly;
var reporter = new OperationReporter(new OperationReportHandler(
    m => Console.Error.WriteLine("error: " + m), m => Console.Error.WriteLine("warn: " + m), Console.WriteLine, _ => { }));

// The contexts as the design-time model builds them: without UseModel, so a compiled model is made from the model
// the code declares, never from an earlier compiled one.
DbContext[] contexts =
[
    new SqlitePressDbContext(new DbContextOptionsBuilder<SqlitePressDbContext>().UseSqlite("Data Source=:memory:", o => o.MigrationsHistoryTable("ef_migrations_history")).Options),
    new PostgresPressDbContext(new DbContextOptionsBuilder<PostgresPressDbContext>().UseNpgsql("Host=localhost", o => o.MigrationsHistoryTable("ef_migrations_history")).Options),
];
foreach (var ctx in contexts)
{
    var provider = ctx is SqlitePressDbContext ? "Sqlite" : "Postgres";
    var services = new DesignTimeServicesBuilder(assembly, assembly, reporter, []).Build(ctx);
    if (args[0] == "--compiled-model")
    {
        var outputDir = Path.Combine(projectDir, "Storage", "CompiledModels", provider);
        if (Directory.Exists(outputDir)) Directory.Delete(outputDir, recursive: true);
        var files = services.GetRequiredService<ICompiledModelScaffolder>().ScaffoldModel(
            ctx.GetService<IDesignTimeModel>().Model, outputDir,
            new CompiledModelCodeGenerationOptions
            {
                ContextType = ctx.GetType(),
                ModelNamespace = $"PressMcp.Storage.CompiledModels.{provider}",
                Language = "C#",
                UseNullableReferenceTypes = true,
            });
        Console.WriteLine($"{provider}: {files.Count} files in {outputDir}");
        continue;
    }
    var scaffolder = services.GetRequiredService<IMigrationsScaffolder>();
    var migration = scaffolder.ScaffoldMigration(args[0], "PressMcp", $"Storage.Migrations.{provider}", "C#");
    var saved = scaffolder.Save(projectDir, migration, Path.Combine(projectDir, "Storage", "Migrations", provider));
    Console.WriteLine($"{provider}: {saved.MigrationFile}");
}
return 0;
