using System.Runtime.CompilerServices;

namespace RxFeed.Parsing;

/// <summary>The keys RxFeed reads; a frame that repeats one of them (where it is read) is malformed.</summary>
internal enum FieldKey : sbyte
{
    None = -1,
    Stream,
    Data,
    E,
    U,
    S,
    BidPrice,
    BidQty,
    AskPrice,
    AskQty,
    Result,
    Id,
    Code,
    Msg,
    Error,
}

/// <summary>Where one value lies in the frame text.</summary>
internal readonly struct ValueRef
{
    public ValueRef(ValueKind kind, int start, int length, bool escaped, bool integer)
    {
        Kind = kind;
        Start = start;
        Length = length;
        Escaped = escaped;
        IsInteger = integer;
    }

    public ValueKind Kind { get; }

    /// <summary>Gets the start: inside the quotes for strings, the token for anything else.</summary>
    public int Start { get; }

    public int Length { get; }

    public bool Escaped { get; }

    public bool IsInteger { get; }

    public bool IsPresent => Kind != ValueKind.None;
}

/// <summary>The captured values of one object's keys of interest, and its first repeated key.</summary>
internal struct ObjectCapture
{
    private Values _values;
    private ushort _seen;
    private sbyte _duplicatePlusOne; // 0 = no repeated key, so that default(ObjectCapture) is empty

    public readonly FieldKey Duplicate => (FieldKey)(_duplicatePlusOne - 1);

    public readonly bool HasDuplicate => _duplicatePlusOne != 0;

    public readonly ValueRef this[FieldKey key] => _values[(int)key];

    public void Set(FieldKey key, ValueRef value)
    {
        ushort bit = (ushort)(1 << (int)key);
        if ((_seen & bit) != 0)
        {
            if (_duplicatePlusOne == 0)
            {
                _duplicatePlusOne = (sbyte)(key + 1);
            }

            return;
        }

        _seen |= bit;
        _values[(int)key] = value;
    }

    [InlineArray(14)]
    private struct Values
    {
        private ValueRef _first;
    }
}

/// <summary>Maps key text to <see cref="FieldKey"/> without allocating.</summary>
internal static class FieldKeys
{
    private static readonly string[] Names = ["stream", "data", "e", "u", "s", "b", "B", "a", "A", "result", "id", "code", "msg", "error"];

    public static string Name(FieldKey key) => Names[(int)key];

    public static FieldKey Lookup(ReadOnlySpan<char> raw, bool escaped)
    {
        if (!escaped)
        {
            return Match(raw);
        }

        // Six raw characters per escaped character at most: anything longer cannot decode to a key of six.
        if (raw.Length > 36)
        {
            return FieldKey.None;
        }

        Span<char> buffer = stackalloc char[36];
        int n = JsonString.Unescape(raw, buffer);
        return Match(buffer.Slice(0, n));
    }

    private static FieldKey Match(ReadOnlySpan<char> k)
    {
        switch (k.Length)
        {
            case 1:
                return k[0] switch
                {
                    'e' => FieldKey.E,
                    'u' => FieldKey.U,
                    's' => FieldKey.S,
                    'b' => FieldKey.BidPrice,
                    'B' => FieldKey.BidQty,
                    'a' => FieldKey.AskPrice,
                    'A' => FieldKey.AskQty,
                    _ => FieldKey.None,
                };
            case 2:
                return k.SequenceEqual("id") ? FieldKey.Id : FieldKey.None;
            case 3:
                return k.SequenceEqual("msg") ? FieldKey.Msg : FieldKey.None;
            case 4:
                return k.SequenceEqual("data") ? FieldKey.Data : k.SequenceEqual("code") ? FieldKey.Code : FieldKey.None;
            case 5:
                return k.SequenceEqual("error") ? FieldKey.Error : FieldKey.None;
            case 6:
                return k.SequenceEqual("stream") ? FieldKey.Stream : k.SequenceEqual("result") ? FieldKey.Result : FieldKey.None;
            default:
                return FieldKey.None;
        }
    }
}
