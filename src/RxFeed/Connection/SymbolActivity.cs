namespace RxFeed.Connection;

/// <summary>
/// The last frame number seen per symbol, fed from each data frame's <c>"s"</c> on the socket's receive loop. An
/// open-addressing table keyed by the symbol's chars: no string is made per frame and the hash is a few multiplies,
/// because this runs for every frame (a Dictionary with a span lookup cost about twice as much). One thread only.
/// </summary>
internal sealed class SymbolActivity
{
    private string?[] _keys = new string?[32];
    private long[] _seen = new long[32];
    private int _count;

    /// <summary>Notes that a frame of the symbol in <paramref name="frame"/> arrived as frame number <paramref name="seq"/>.</summary>
    public void Note(ReadOnlySpan<char> frame, long seq)
    {
        int at = frame.IndexOf("\"s\":\"");
        if (at < 0)
        {
            return;
        }

        ReadOnlySpan<char> rest = frame[(at + 5)..];
        int end = rest.IndexOf('"');
        if (end > 0)
        {
            Set(rest[..end], seq);
        }
    }

    /// <summary>The frame number of the symbol's last frame, or 0 when none was seen.</summary>
    public long LastSeen(string symbol)
    {
        int mask = _keys.Length - 1;
        for (int i = Hash(symbol) & mask; _keys[i] is { } key; i = (i + 1) & mask)
        {
            if (key == symbol)
            {
                return _seen[i];
            }
        }

        return 0;
    }

    private static int Hash(ReadOnlySpan<char> s)
    {
        uint h = 2166136261;
        foreach (char c in s)
        {
            h = (h ^ c) * 16777619;
        }

        return (int)(h ^ (h >> 15));
    }

    private void Set(ReadOnlySpan<char> symbol, long seq)
    {
        int mask = _keys.Length - 1;
        int i = Hash(symbol) & mask;
        while (_keys[i] is { } key)
        {
            if (symbol.SequenceEqual(key))
            {
                _seen[i] = seq;
                return;
            }

            i = (i + 1) & mask;
        }

        _keys[i] = symbol.ToString();
        _seen[i] = seq;
        if (++_count * 2 > _keys.Length)
        {
            Grow();
        }
    }

    private void Grow()
    {
        string?[] keys = _keys;
        long[] seen = _seen;
        _keys = new string?[keys.Length * 2];
        _seen = new long[keys.Length * 2];
        int mask = _keys.Length - 1;
        for (int j = 0; j < keys.Length; j++)
        {
            if (keys[j] is { } key)
            {
                int i = Hash(key) & mask;
                while (_keys[i] is not null)
                {
                    i = (i + 1) & mask;
                }

                _keys[i] = key;
                _seen[i] = seen[j];
            }
        }
    }
}
