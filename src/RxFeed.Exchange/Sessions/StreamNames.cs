namespace RxFeed.Exchange.Sessions;

/// <summary>Binance stream names: a lowercase symbol, <c>@</c> and an event type (<c>ethusdt@bookTicker</c>), or <c>!name</c>.</summary>
internal static class StreamNames
{
    /// <summary>The suffix of book ticker streams.</summary>
    public const string BookTickerSuffix = "@bookTicker";

    private static ReadOnlySpan<char> SymbolChars => "abcdefghijklmnopqrstuvwxyz0123456789_-";

    private static ReadOnlySpan<char> TypeChars => "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@_";

    /// <summary>Returns whether a stream name is well formed; symbols must be lowercase as on Binance.</summary>
    /// <param name="name">The stream name.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 200)
        {
            return false;
        }

        if (name[0] == '!')
        {
            return name.Length > 1 && name.AsSpan(1).IndexOfAnyExcept(TypeChars) < 0;
        }

        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at == name.Length - 1)
        {
            return false;
        }

        return name.AsSpan(0, at).IndexOfAnyExcept(SymbolChars) < 0 && name.AsSpan(at + 1).IndexOfAnyExcept(TypeChars) < 0;
    }

    /// <summary>The book ticker stream of a symbol: <c>ETHUSDT</c> → <c>ethusdt@bookTicker</c>.</summary>
    /// <param name="symbol">The symbol.</param>
    /// <returns>The stream name.</returns>
    public static string BookTicker(string symbol) => symbol.ToLowerInvariant() + BookTickerSuffix;

    /// <summary>Returns whether the stream is a book ticker stream.</summary>
    /// <param name="name">The stream name.</param>
    /// <returns><see langword="true"/> for <c>…@bookTicker</c>.</returns>
    public static bool IsBookTicker(string name) => name.EndsWith(BookTickerSuffix, StringComparison.Ordinal);
}
