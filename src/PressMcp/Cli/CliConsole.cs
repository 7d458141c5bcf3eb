namespace PressMcp.Cli;

/// <summary>Where a command writes: results to Out, one-line reasons to Error. Injectable so tests read both.</summary>
internal sealed record CliConsole(TextWriter Out, TextWriter Error)
{
    public int Fail(string reason, int exitCode = ExitCodes.Failure)
    {
        Error.WriteLine($"error: {reason}");
        return exitCode;
    }

    public int Fail(Problem problem) => Fail(problem.Message, problem.Kind switch
    {
        ErrorKind.NotFound => ExitCodes.NotFound,
        ErrorKind.Conflict => ExitCodes.Conflict,
        _ => ExitCodes.Failure,
    });
}

internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int NotFound = 3;
    public const int Conflict = 4;
}
