using PressMcp.Cli;

namespace PressMcp;

public static class Program
{
    public static Task<int> Main(string[] args)
    {
        // First, before the host starts the threads that open SQLite connections.
        MallocArenas.Bound();
        return CliApp.RunAsync(args, Console.Out, Console.Error);
    }
}
