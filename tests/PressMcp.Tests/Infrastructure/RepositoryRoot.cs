namespace PressMcp.Tests.Infrastructure;

/// <summary>The repository's top folder (the one holding PressMcp.slnx), found upwards from the test assembly.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "PressMcp.slnx"))) return dir.FullName;
        throw new InvalidOperationException("PressMcp.slnx not found above " + AppContext.BaseDirectory);
    }
}
