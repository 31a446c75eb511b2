namespace RxFeed.Testing;

/// <summary>Which role a stream line plays in a <c>.marble</c> file.</summary>
public enum MarbleStreamKind
{
    /// <summary><c>hot x:</c> — a hot source.</summary>
    Hot,

    /// <summary><c>cold x:</c> or <c>cold x[k]:</c> — a cold source (the k-th subscription's view).</summary>
    Cold,

    /// <summary><c>sub:</c> — when the test subscribes to the operator and unsubscribes.</summary>
    Sub,

    /// <summary><c>out:</c> — what the operator must emit.</summary>
    Out,

    /// <summary><c>subs x:</c> — one subscription of the operator to source <c>x</c>.</summary>
    Subs,
}

/// <summary>One stream line of a <c>.marble</c> file.</summary>
/// <param name="Kind">The line's role.</param>
/// <param name="Source">The source name for hot, cold and subs lines; null for <c>sub:</c> and <c>out:</c>.</param>
/// <param name="Index">The k of <c>cold x[k]:</c>; 1 for a plain cold line; 0 otherwise.</param>
/// <param name="Diagram">The diagram text after the colon.</param>
/// <param name="Line">The 1-based line.</param>
/// <param name="Column">The 1-based column where <paramref name="Diagram"/> starts.</param>
public sealed record MarbleStream(MarbleStreamKind Kind, string? Source, int Index, string Diagram, int Line, int Column)
{
    internal List<MarbleEvent> Events { get; init; } = [];
}

/// <summary>One argument of the <c>operator:</c> header, as written (bound to the operator's parameter of that name).</summary>
/// <param name="Name">The parameter name.</param>
/// <param name="Text">The value text, e.g. <c>5s</c>, <c>3</c>, <c>[1, 0.5]</c>, <c>"x"</c>.</param>
/// <param name="Line">The 1-based line.</param>
/// <param name="Column">The 1-based column of the value.</param>
public sealed record MarbleArgument(string Name, string Text, int Line, int Column);

/// <summary>One entry of the <c>values:</c> block, with <c>with</c> already applied.</summary>
/// <param name="Key">The letter or digit.</param>
/// <param name="Json">The JSON value.</param>
/// <param name="Line">The 1-based line.</param>
/// <param name="Column">The 1-based column of the value.</param>
public sealed record MarbleValue(char Key, string Json, int Line, int Column);

/// <summary>One entry of the <c>errors:</c> block.</summary>
/// <param name="Key"><c>#</c>, <c>#1</c>, <c>#2</c>, ...</param>
/// <param name="TypeName">The exception type's name or full name.</param>
/// <param name="Line">The 1-based line.</param>
/// <param name="Column">The 1-based column of the type name.</param>
public sealed record MarbleError(string Key, string TypeName, int Line, int Column);

/// <summary>A parsed <c>.marble</c> file (format: <c>marbles.md</c>): the header, the stream lines and the values and errors blocks.</summary>
public sealed class MarbleFile
{
    internal MarbleFile()
    {
    }

    /// <summary>Gets the path the file was read from, or the name given to <see cref="Parse"/>.</summary>
    public string Path { get; internal init; } = string.Empty;

    /// <summary>Gets the <c>name:</c> header: one sentence saying what the file shows.</summary>
    public string Name { get; internal init; } = string.Empty;

    /// <summary>Gets the operator's registered name from the <c>operator:</c> header.</summary>
    public string Operator { get; internal init; } = string.Empty;

    /// <summary>Gets the operator's arguments, by name.</summary>
    public IReadOnlyList<MarbleArgument> Arguments { get; internal init; } = [];

    /// <summary>Gets the <c>frame:</c> header; default 1 ms.</summary>
    public TimeSpan Frame { get; internal init; } = Marble.DefaultFrame;

    /// <summary>Gets the <c>until:</c> header, or null to run until idle.</summary>
    public TimeSpan? Until { get; internal init; }

    /// <summary>Gets the <c>tags:</c> header, split on commas.</summary>
    public IReadOnlyList<string> Tags { get; internal init; } = [];

    /// <summary>Gets the stream lines, in file order.</summary>
    public IReadOnlyList<MarbleStream> Streams { get; internal init; } = [];

    /// <summary>Gets the <c>values:</c> block.</summary>
    public IReadOnlyDictionary<char, MarbleValue> Values { get; internal init; } = new Dictionary<char, MarbleValue>();

    /// <summary>Gets the <c>errors:</c> block, in file order (the first is what a bare <c>#</c> means when <c>#</c> is not listed).</summary>
    public IReadOnlyList<MarbleError> Errors { get; internal init; } = [];

    /// <summary>Parses a file's text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="path">Where it came from, for messages.</param>
    /// <returns>The file.</returns>
    /// <exception cref="MarbleSyntaxException">The text breaks the format; the message gives line and column.</exception>
    public static MarbleFile Parse(string text, string path = "")
    {
        ArgumentNullException.ThrowIfNull(text);
        return MarbleFileParser.Parse(text, path);
    }

    /// <summary>Reads and parses a file.</summary>
    /// <param name="path">The path.</param>
    /// <returns>The file.</returns>
    /// <exception cref="MarbleSyntaxException">The file breaks the format.</exception>
    public static MarbleFile Load(string path) => Parse(File.ReadAllText(path), path);

    /// <inheritdoc/>
    public override string ToString() => System.IO.Path.GetFileName(Path) + ": " + Name;
}
