namespace PressMcp;

/// <summary>Why an operation was refused; each endpoint maps these to its own wire shape in one place.</summary>
internal enum ErrorKind
{
    Invalid,
    NotFound,
    Conflict,
    Forbidden,
}

/// <summary>An expected failure, as data: a message that says what was wrong, safe to show to the caller.</summary>
internal sealed record Problem(ErrorKind Kind, string Message)
{
    public static Problem Invalid(string message) => new(ErrorKind.Invalid, message);
    public static Problem NotFound(string message) => new(ErrorKind.NotFound, message);
    public static Problem Conflict(string message) => new(ErrorKind.Conflict, message);
    public static Problem Forbidden(string message) => new(ErrorKind.Forbidden, message);
}

/// <summary>The result of an operation that can be refused for expected reasons (bad input, not found, conflict).</summary>
internal readonly struct Outcome<T>
{
    private Outcome(T? value, Problem? problem)
    {
        Value = value;
        Problem = problem;
    }

    public T? Value { get; }
    public Problem? Problem { get; }
    public bool Succeeded => Problem is null;

    public static Outcome<T> Ok(T value) => new(value, null);

    public static implicit operator Outcome<T>(Problem problem) => new(default, problem);

    public static implicit operator Outcome<T>(T value) => new(value, null);
}
