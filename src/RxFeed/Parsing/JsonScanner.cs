using System.Runtime.CompilerServices;

namespace RxFeed.Parsing;

/// <summary>Why a scan stopped.</summary>
internal enum ScanStatus : byte
{
    Ok,
    Syntax,
    Truncated,
    InvalidUnicode,
}

/// <summary>The JSON type of a captured value.</summary>
internal enum ValueKind : byte
{
    None,
    String,
    Number,
    Object,
    Array,
    True,
    False,
    Null,
}

/// <summary>
/// A strict RFC 8259 scanner over frame text that validates everything it passes over and allocates nothing.
/// Containers are skipped iteratively, so nesting depth cannot overflow the stack.
/// </summary>
internal ref struct JsonScanner
{
    private readonly ReadOnlySpan<char> _text;
    private int _pos;

    public JsonScanner(ReadOnlySpan<char> text)
    {
        _text = text;
        _pos = 0;
        Status = ScanStatus.Ok;
    }

    public ScanStatus Status { get; private set; }

    public readonly bool AtEnd => _pos >= _text.Length;

    public readonly char Peek => _text[_pos];

    /// <summary>Gets the text being scanned.</summary>
    public readonly ReadOnlySpan<char> Text => _text;

    /// <summary>Gets the cursor's index in the text.</summary>
    public readonly int Position => _pos;

    /// <summary>Skips whitespace, then consumes <paramref name="c"/> if it is next.</summary>
    /// <param name="c">The punctuation expected.</param>
    /// <returns>Whether it was there.</returns>
    public bool TryConsume(char c)
    {
        SkipWhitespace();
        if (_pos < _text.Length && _text[_pos] == c)
        {
            _pos++;
            return true;
        }

        return false;
    }

    public void SkipWhitespace()
    {
        ReadOnlySpan<char> t = _text;
        int p = _pos;
        while (p < t.Length)
        {
            char c = t[p];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
            {
                break;
            }

            p++;
        }

        _pos = p;
    }

    /// <summary>Reads an object at the cursor, capturing the values of the keys RxFeed reads.</summary>
    /// <param name="capture">Receives the captured values and the first repeated key.</param>
    /// <param name="data">When not null-like, receives the members of a <c>data</c> object value.</param>
    /// <param name="error">Receives the members of an <c>error</c> object value.</param>
    /// <param name="nested">True to capture <c>data</c> and <c>error</c> objects (top level only).</param>
    /// <returns>False on a syntax error (see <see cref="Status"/>).</returns>
    public bool ReadObject(ref ObjectCapture capture, ref ObjectCapture data, ref ObjectCapture error, bool nested)
    {
        _pos++; // '{'
        SkipWhitespace();
        if (AtEnd)
        {
            return Fail(ScanStatus.Truncated);
        }

        if (_text[_pos] == '}')
        {
            _pos++;
            return true;
        }

        while (true)
        {
            if (AtEnd || _text[_pos] != '"')
            {
                return FailHere();
            }

            if (!ReadString(out int keyStart, out int keyLength, out bool keyEscaped))
            {
                return false;
            }

            FieldKey key = FieldKeys.Lookup(_text.Slice(keyStart, keyLength), keyEscaped);
            SkipWhitespace();
            if (AtEnd || _text[_pos] != ':')
            {
                return FailHere();
            }

            _pos++;
            SkipWhitespace();
            if (AtEnd)
            {
                return Fail(ScanStatus.Truncated);
            }

            int valueStart = _pos;
            ValueRef value;
            if (nested && _text[_pos] == '{' && (key == FieldKey.Data || key == FieldKey.Error))
            {
                ObjectCapture ignored = default;
                bool ok = key == FieldKey.Data
                    ? ReadObject(ref data, ref ignored, ref ignored, nested: false)
                    : ReadObject(ref error, ref ignored, ref ignored, nested: false);
                if (!ok)
                {
                    return false;
                }

                value = new ValueRef(ValueKind.Object, valueStart, _pos - valueStart, escaped: false, integer: false);
            }
            else if (!ReadValue(out value))
            {
                return false;
            }

            if (key != FieldKey.None)
            {
                capture.Set(key, value);
            }

            SkipWhitespace();
            if (AtEnd)
            {
                return Fail(ScanStatus.Truncated);
            }

            char c = _text[_pos++];
            if (c == '}')
            {
                return true;
            }

            if (c != ',')
            {
                _pos--;
                return FailHere();
            }

            SkipWhitespace();
        }
    }

    /// <summary>Reads any value at the cursor; containers are validated and skipped.</summary>
    /// <param name="value">Where the value lies in the text.</param>
    /// <returns>False on a syntax error.</returns>
    public bool ReadValue(out ValueRef value)
    {
        int start = _pos;
        value = default;
        char c = _text[_pos];
        switch (c)
        {
            case '"':
                if (!ReadString(out int s, out int len, out bool escaped))
                {
                    return false;
                }

                value = new ValueRef(ValueKind.String, s, len, escaped, integer: false);
                return true;
            case '{':
            case '[':
                if (!SkipContainer())
                {
                    return false;
                }

                value = new ValueRef(c == '{' ? ValueKind.Object : ValueKind.Array, start, _pos - start, escaped: false, integer: false);
                return true;
            case 't':
                return ReadLiteral("true", ValueKind.True, ref value);
            case 'f':
                return ReadLiteral("false", ValueKind.False, ref value);
            case 'n':
                return ReadLiteral("null", ValueKind.Null, ref value);
            default:
                if (c == '-' || (uint)(c - '0') <= 9)
                {
                    if (!ReadNumber(out bool integer))
                    {
                        return false;
                    }

                    value = new ValueRef(ValueKind.Number, start, _pos - start, escaped: false, integer);
                    return true;
                }

                return Fail(ScanStatus.Syntax);
        }
    }

    /// <summary>Reads a string at the cursor (on its opening quote).</summary>
    /// <param name="start">Index of the first character inside the quotes.</param>
    /// <param name="length">Raw length inside the quotes.</param>
    /// <param name="escaped">True when the raw text holds escapes.</param>
    /// <returns>False on a syntax error.</returns>
    public bool ReadString(out int start, out int length, out bool escaped)
    {
        ReadOnlySpan<char> t = _text;
        int p = _pos + 1;
        start = p;
        length = 0;
        escaped = false;
        while (p < t.Length)
        {
            char c = t[p];
            if (c == '"')
            {
                length = p - start;
                _pos = p + 1;
                return true;
            }

            if (c == '\\')
            {
                escaped = true;
                p++;
                if (p >= t.Length)
                {
                    break;
                }

                char e = t[p];
                if (e == 'u')
                {
                    for (int i = 1; i <= 4; i++)
                    {
                        if (p + i >= t.Length)
                        {
                            _pos = t.Length;
                            return Fail(ScanStatus.Truncated);
                        }

                        if (!char.IsAsciiHexDigit(t[p + i]))
                        {
                            _pos = p + i;
                            return Fail(ScanStatus.Syntax);
                        }
                    }

                    p += 5;
                    continue;
                }

                if (e is '"' or '\\' or '/' or 'b' or 'f' or 'n' or 'r' or 't')
                {
                    p++;
                    continue;
                }

                _pos = p;
                return Fail(ScanStatus.Syntax);
            }

            if (c < 0x20)
            {
                _pos = p;
                return Fail(ScanStatus.Syntax);
            }

            if (char.IsSurrogate(c))
            {
                if (!char.IsHighSurrogate(c) || p + 1 >= t.Length || !char.IsLowSurrogate(t[p + 1]))
                {
                    _pos = p;
                    return Fail(ScanStatus.InvalidUnicode);
                }

                p += 2;
                continue;
            }

            p++;
        }

        _pos = t.Length;
        return Fail(ScanStatus.Truncated);
    }

    private bool ReadNumber(out bool integer)
    {
        ReadOnlySpan<char> t = _text;
        int p = _pos;
        integer = true;
        if (t[p] == '-')
        {
            p++;
        }

        if (p >= t.Length)
        {
            _pos = p;
            return Fail(ScanStatus.Truncated);
        }

        if (t[p] == '0')
        {
            p++;
        }
        else if ((uint)(t[p] - '1') <= 8)
        {
            p = SkipDigits(t, p + 1);
        }
        else
        {
            _pos = p;
            return Fail(ScanStatus.Syntax);
        }

        if (p < t.Length && t[p] == '.')
        {
            integer = false;
            p++;
            if (!RequireDigit(t, ref p))
            {
                return false;
            }
        }

        if (p < t.Length && (t[p] == 'e' || t[p] == 'E'))
        {
            integer = false;
            p++;
            if (p < t.Length && (t[p] == '+' || t[p] == '-'))
            {
                p++;
            }

            if (!RequireDigit(t, ref p))
            {
                return false;
            }
        }

        _pos = p;
        return true;
    }

    private bool RequireDigit(ReadOnlySpan<char> t, ref int p)
    {
        if (p >= t.Length)
        {
            _pos = p;
            return Fail(ScanStatus.Truncated);
        }

        if ((uint)(t[p] - '0') > 9)
        {
            _pos = p;
            return Fail(ScanStatus.Syntax);
        }

        p = SkipDigits(t, p + 1);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SkipDigits(ReadOnlySpan<char> t, int p)
    {
        while (p < t.Length && (uint)(t[p] - '0') <= 9)
        {
            p++;
        }

        return p;
    }

    private bool ReadLiteral(string literal, ValueKind kind, ref ValueRef value)
    {
        ReadOnlySpan<char> rest = _text.Slice(_pos);
        if (rest.StartsWith(literal, StringComparison.Ordinal))
        {
            value = new ValueRef(kind, _pos, literal.Length, escaped: false, integer: false);
            _pos += literal.Length;
            return true;
        }

        // A literal cut off by the end of the frame is truncation, anything else a syntax error.
        return Fail(rest.Length < literal.Length && literal.AsSpan().StartsWith(rest) ? ScanStatus.Truncated : ScanStatus.Syntax);
    }

    /// <summary>Validates and skips an object or array without recursion: one bit per level says which.</summary>
    private bool SkipContainer()
    {
        ContainerStack kinds = default;
        kinds.Push(_text[_pos] == '{');
        _pos++;
        bool expectFirst = true;
        while (true)
        {
            SkipWhitespace();
            if (AtEnd)
            {
                return Fail(ScanStatus.Truncated);
            }

            bool inObject = kinds.Top;
            char c = _text[_pos];
            if (expectFirst && c == (inObject ? '}' : ']'))
            {
                _pos++;
                kinds.Pop();
            }
            else
            {
                if (inObject)
                {
                    if (c != '"')
                    {
                        return Fail(ScanStatus.Syntax);
                    }

                    if (!ReadString(out _, out _, out _))
                    {
                        return false;
                    }

                    SkipWhitespace();
                    if (AtEnd)
                    {
                        return Fail(ScanStatus.Truncated);
                    }

                    if (_text[_pos] != ':')
                    {
                        return Fail(ScanStatus.Syntax);
                    }

                    _pos++;
                    SkipWhitespace();
                    if (AtEnd)
                    {
                        return Fail(ScanStatus.Truncated);
                    }

                    c = _text[_pos];
                }

                if (c == '{' || c == '[')
                {
                    kinds.Push(c == '{');
                    _pos++;
                    expectFirst = true;
                    continue;
                }

                if (!ReadValue(out _))
                {
                    return false;
                }
            }

            // After a value: a separator, the container's end (possibly several), or the end of the outermost.
            while (true)
            {
                if (kinds.Depth == 0)
                {
                    return true;
                }

                SkipWhitespace();
                if (AtEnd)
                {
                    return Fail(ScanStatus.Truncated);
                }

                c = _text[_pos];
                if (c == ',')
                {
                    _pos++;
                    expectFirst = false;
                    break;
                }

                if (c == (kinds.Top ? '}' : ']'))
                {
                    _pos++;
                    kinds.Pop();
                    continue;
                }

                return Fail(ScanStatus.Syntax);
            }
        }
    }

    private bool FailHere() => Fail(AtEnd ? ScanStatus.Truncated : ScanStatus.Syntax);

    private bool Fail(ScanStatus status)
    {
        if (Status == ScanStatus.Ok)
        {
            Status = status;
        }

        return false;
    }

    /// <summary>A stack of container kinds: 64 levels in a register, deeper ones in a rarely needed list.</summary>
    private struct ContainerStack
    {
        private ulong _bits;
        private List<bool>? _deep;

        public int Depth { get; private set; }

        public readonly bool Top => Depth <= 64 ? (_bits & (1UL << (Depth - 1))) != 0 : _deep![Depth - 65];

        public void Push(bool isObject)
        {
            if (Depth < 64)
            {
                _bits = isObject ? _bits | (1UL << Depth) : _bits & ~(1UL << Depth);
            }
            else
            {
                _deep ??= new List<bool>();
                _deep.Add(isObject);
            }

            Depth++;
        }

        public void Pop()
        {
            Depth--;
            if (Depth >= 64)
            {
                _deep!.RemoveAt(_deep.Count - 1);
            }
        }
    }
}
