namespace RxFeed.Testing;

/// <summary>What a diagram line may contain.</summary>
internal enum DiagramKind
{
    /// <summary>A hot source: values, <c>|</c>, <c>#</c> and one <c>^</c>.</summary>
    Hot,

    /// <summary>A cold source or an expected output: values, <c>|</c> and <c>#</c>.</summary>
    Notifications,

    /// <summary>A <c>sub:</c> or <c>subs x:</c> line: <c>^</c> and <c>!</c>.</summary>
    Subscription,
}

/// <summary>What happens at one moment of a diagram.</summary>
internal enum MarbleEventKind
{
    Value,
    Completed,
    Error,
    Subscribe,
    Unsubscribe,
}

/// <summary>One parsed marble: its kind, its time in ticks from frame 0, its key (<c>a</c>, <c>#</c>, <c>#2</c>) and its 1-based column.</summary>
internal readonly record struct MarbleEvent(MarbleEventKind Kind, long Time, string Key, int Column);

/// <summary>Parses one diagram line into timed events (RxJS run-mode rules; see marbles.md).</summary>
internal static class MarbleDiagram
{
    /// <summary>Parses a diagram.</summary>
    /// <param name="text">The diagram text, without the <c>name:</c> prefix.</param>
    /// <param name="kind">Which characters the line may hold.</param>
    /// <param name="frameTicks">Ticks per frame.</param>
    /// <param name="isValue">Whether a character is in <c>values:</c>.</param>
    /// <param name="line">The line number to report errors at.</param>
    /// <param name="firstColumn">The 1-based column of <paramref name="text"/>'s first character.</param>
    /// <returns>The events, in order, with hot lines shifted so that <c>^</c> is time 0.</returns>
    public static List<MarbleEvent> Parse(string text, DiagramKind kind, long frameTicks, Func<char, bool> isValue, int line = 1, int firstColumn = 1)
    {
        var events = new List<MarbleEvent>();
        long time = 0;
        long? groupTime = null;
        int groupColumn = 0;
        int groupSize = 0;
        long? origin = null;
        bool terminated = false;

        MarbleSyntaxException Error(string reason, int index) => new(reason, line, firstColumn + index);

        void Add(MarbleEventKind eventKind, string key, int index)
        {
            long at = groupTime ?? time;
            if (kind != DiagramKind.Subscription)
            {
                if (terminated)
                {
                    throw Error($"'{key}' after the stream already ended ('|' or '#')", index);
                }

                terminated = eventKind is MarbleEventKind.Completed or MarbleEventKind.Error;
            }

            events.Add(new MarbleEvent(eventKind, at, key, firstColumn + index));
            groupSize++;
        }

        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == ' ')
            {
                i++;
                continue;
            }

            if (char.IsAsciiDigit(c) && (i == 0 || !char.IsAsciiDigit(text[i - 1])) && MarbleDuration.Match(text, i, out int length, out TimeSpan skip))
            {
                bool spaceBefore = i == 0 || text[i - 1] == ' ';
                bool spaceAfter = i + length == text.Length || text[i + length] == ' ';
                if (!spaceBefore || !spaceAfter)
                {
                    throw Error($"time skip '{text.Substring(i, length)}' must stand between spaces", i);
                }

                if (groupTime is not null)
                {
                    throw Error($"time skip '{text.Substring(i, length)}' inside a group", i);
                }

                time += skip.Ticks;
                i += length;
                continue;
            }

            switch (c)
            {
                case '-':
                    if (groupTime is not null)
                    {
                        throw Error("'-' inside a group", i);
                    }

                    break;
                case '(':
                    if (groupTime is not null)
                    {
                        throw Error("nested group: '(' inside a group opened at column " + groupColumn, i);
                    }

                    groupTime = time;
                    groupColumn = firstColumn + i;
                    groupSize = 0;
                    break;
                case ')':
                    if (groupTime is null)
                    {
                        throw Error("unbalanced group: ')' without '('", i);
                    }

                    if (groupSize == 0)
                    {
                        throw Error("empty group '()'", i);
                    }

                    groupTime = null;
                    break;
                case '^' when kind == DiagramKind.Hot:
                    if (origin is not null)
                    {
                        throw Error("a second '^' (a hot line has one subscription point)", i);
                    }

                    origin = groupTime ?? time;
                    break;
                case '^' when kind == DiagramKind.Subscription:
                    if (events.Count > 0)
                    {
                        throw Error("a second '^' on a subscription line (write one line per subscription)", i);
                    }

                    Add(MarbleEventKind.Subscribe, "^", i);
                    break;
                case '!' when kind == DiagramKind.Subscription:
                    if (events.Count == 0)
                    {
                        throw Error("'!' before '^'", i);
                    }

                    if (events.Count > 1)
                    {
                        throw Error("a second '!' on a subscription line", i);
                    }

                    Add(MarbleEventKind.Unsubscribe, "!", i);
                    break;
                case '|' when kind != DiagramKind.Subscription:
                    Add(MarbleEventKind.Completed, "|", i);
                    break;
                case '#' when kind != DiagramKind.Subscription:
                    int end = i + 1;
                    while (end < text.Length && char.IsAsciiDigit(text[end]))
                    {
                        end++;
                    }

                    Add(MarbleEventKind.Error, text[i..end], i);

                    // '#2' is as wide as it is written, so the columns after it stay frames.
                    time += (end - i - 1) * frameTicks;
                    i = end - 1;
                    break;
                case '^':
                    throw Error("'^' is only allowed on hot and subscription lines", i);
                case '!':
                    throw Error("'!' is only allowed on sub: and subs lines", i);
                case '|' or '#':
                    throw Error($"'{c}' is not allowed on a subscription line (only '-', '^', '!', groups and time skips)", i);
                default:
                    if (!char.IsAsciiLetterOrDigit(c))
                    {
                        throw Error($"unexpected character '{c}'", i);
                    }

                    if (kind == DiagramKind.Subscription)
                    {
                        throw Error($"value '{c}' on a subscription line (only '-', '^', '!', groups and time skips)", i);
                    }

                    if (!isValue(c))
                    {
                        throw Error($"unknown value '{c}': it has no entry in values:", i);
                    }

                    Add(MarbleEventKind.Value, c.ToString(), i);
                    break;
            }

            time += frameTicks;
            i++;
        }

        if (groupTime is not null)
        {
            throw new MarbleSyntaxException("unbalanced group: '(' is never closed", line, groupColumn);
        }

        if (origin is long zero && zero != 0)
        {
            for (int k = 0; k < events.Count; k++)
            {
                events[k] = events[k] with { Time = events[k].Time - zero };
            }
        }

        return events;
    }
}
