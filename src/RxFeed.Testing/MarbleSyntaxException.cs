namespace RxFeed.Testing;

/// <summary>
/// A marble diagram or <c>.marble</c> file that does not follow the syntax; says where (1-based line and column).
/// </summary>
public sealed class MarbleSyntaxException : FormatException
{
    /// <summary>Initializes a new instance of the <see cref="MarbleSyntaxException"/> class.</summary>
    public MarbleSyntaxException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MarbleSyntaxException"/> class.</summary>
    /// <param name="message">The message.</param>
    public MarbleSyntaxException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MarbleSyntaxException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public MarbleSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MarbleSyntaxException"/> class.</summary>
    /// <param name="reason">What is wrong, without the position.</param>
    /// <param name="line">The 1-based line.</param>
    /// <param name="column">The 1-based column.</param>
    /// <param name="innerException">The cause, if any.</param>
    public MarbleSyntaxException(string reason, int line, int column, Exception? innerException = null)
        : base(FormattableString.Invariant($"line {line}, column {column}: {reason}"), innerException)
    {
        Reason = reason;
        Line = line;
        Column = column;
    }

    /// <summary>Gets what is wrong, without the position.</summary>
    public string Reason { get; } = string.Empty;

    /// <summary>Gets the 1-based line of the fault.</summary>
    public int Line { get; }

    /// <summary>Gets the 1-based column of the fault.</summary>
    public int Column { get; }
}
