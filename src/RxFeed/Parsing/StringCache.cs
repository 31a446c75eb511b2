namespace RxFeed.Parsing;

/// <summary>
/// Hands out one string instance per distinct text (symbols, stream names), looked up by span so the hot path
/// allocates nothing. Bounded: past <see cref="Capacity"/> distinct texts, new ones are allocated and not kept,
/// so a stream of garbage symbols cannot grow memory.
/// </summary>
internal sealed class StringCache
{
    public const int Capacity = 4096;

    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    private string? _last;

    public StringCache() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Get(ReadOnlySpan<char> text)
    {
        // Most frames repeat the previous symbol: one compare saves the hash.
        string? last = _last;
        if (last is not null && text.SequenceEqual(last))
        {
            return last;
        }

        _last = Lookup(text);
        return _last;
    }

    /// <summary>The same for ASCII bytes (the caller has checked they are ASCII).</summary>
    public string Get(ReadOnlySpan<byte> ascii)
    {
        string? last = _last;
        if (last is not null && System.Text.Ascii.Equals(ascii, last))
        {
            return last;
        }

        Span<char> chars = ascii.Length <= 256 ? stackalloc char[ascii.Length] : new char[ascii.Length];
        System.Text.Ascii.ToUtf16(ascii, chars, out int written);
        _last = Lookup(chars[..written]);
        return _last;
    }

    private string Lookup(ReadOnlySpan<char> text)
    {
        if (_lookup.TryGetValue(text, out string? cached))
        {
            return cached;
        }

        string created = new(text);
        if (_strings.Count < Capacity)
        {
            _strings.Add(created, created);
        }

        return created;
    }
}
