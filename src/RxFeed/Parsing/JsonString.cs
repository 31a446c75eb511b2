using System.Buffers;
using System.Globalization;

namespace RxFeed.Parsing;

/// <summary>Decodes and compares JSON string contents (already validated by <see cref="JsonScanner"/>).</summary>
internal static class JsonString
{
    /// <summary>Decodes escapes; <paramref name="destination"/> must be at least as long as <paramref name="raw"/>.</summary>
    /// <param name="raw">Validated string content, without the quotes.</param>
    /// <param name="destination">Receives the decoded characters.</param>
    /// <returns>The number of characters written.</returns>
    public static int Unescape(ReadOnlySpan<char> raw, Span<char> destination)
    {
        int w = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            char c = raw[i];
            if (c != '\\')
            {
                destination[w++] = c;
                continue;
            }

            char e = raw[++i];
            destination[w++] = e switch
            {
                'b' => '\b',
                'f' => '\f',
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                'u' => (char)ushort.Parse(raw.Slice(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture),
                _ => e,
            };
            if (e == 'u')
            {
                i += 4;
            }
        }

        return w;
    }

    /// <summary>Decodes a string value into a new string.</summary>
    /// <param name="raw">Validated string content.</param>
    /// <param name="escaped">Whether it holds escapes.</param>
    /// <returns>The decoded string.</returns>
    public static string Decode(ReadOnlySpan<char> raw, bool escaped)
    {
        if (!escaped)
        {
            return new string(raw);
        }

        char[] rented = ArrayPool<char>.Shared.Rent(raw.Length);
        try
        {
            int n = Unescape(raw, rented);
            return new string(rented, 0, n);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }
}
