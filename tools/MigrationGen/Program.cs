// Scaffolds a migration for each provider: dotnet run --project tools/MigrationGen -- <MigrationName>
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Design.Internal;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;
using PressMcp.Storage;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: MigrationGen <MigrationName>");
    return 2;
}

var projectDir = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/PressMcp"));
var assembly = typeof(PressDbContext).Assembly;
var reporter = new OperationReporter(new OperationReportHandler(
    m => Console.Error.WriteLine("error: " + m), m => Console.Error.WriteLine("warn: " + m), Console.WriteLine, _ => { }));

DbContext[] contexts =
[
    new SqlitePressDbContext(new DbContextOptionsBuilder<SqlitePressDbContext>().UseSqlite("Data Source=:memory:", o => o.MigrationsHistoryTable("ef_migrations_history")).Options),
    new PostgresPressDbContext(new DbContextOptionsBuilder<PostgresPressDbContext>().UseNpgsql("Host=localhost", o => o.MigrationsHistoryTable("ef_migrations_history")).Options),
];
foreach (var ctx in contexts)
{
    var provider = ctx is SqlitePressDbContext ? "Sqlite" : "Postgres";
    var services = new DesignTimeServicesBuilder(assembly, assembly, reporter, []).Build(ctx);
    var scaffolder = services.GetRequiredService<IMigrationsScaffolder>();
    var migration = scaffolder.ScaffoldMigration(args[0], "PressMcp", $"Storage.Migrations.{provider}", "C#");
    var files = scaffolder.Save(projectDir, migration, Path.Combine(projectDir, "Storage", "Migrations", provider));
    Console.WriteLine($"{provider}: {files.MigrationFile}");
}
return 0;
