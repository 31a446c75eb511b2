namespace RxFeed.Testing;

/// <summary>Checks that a file's stream lines fit together: one <c>out:</c>, sources defined once, numbered cold lines complete.</summary>
internal static class MarbleStreamRules
{
    public static void Check(List<MarbleStream> streams, List<MarbleError> errors)
    {
        var outs = streams.Where(s => s.Kind == MarbleStreamKind.Out).ToList();
        if (outs.Count == 0)
        {
            throw new MarbleSyntaxException("missing 'out:' line (what the operator must emit)", 1, 1);
        }

        ThrowIfSecond(outs, "'out:' is given twice");
        ThrowIfSecond(streams.Where(s => s.Kind == MarbleStreamKind.Sub).ToList(), "'sub:' is given twice");

        foreach (var source in streams.Where(s => s.Kind is MarbleStreamKind.Hot or MarbleStreamKind.Cold).GroupBy(s => s.Source))
        {
            var lines = source.ToList();
            if (lines.Select(l => l.Kind).Distinct().Count() > 1)
            {
                throw new MarbleSyntaxException($"source '{source.Key}' is both hot and cold", lines[1].Line, 1);
            }

            if (lines[0].Kind == MarbleStreamKind.Hot)
            {
                ThrowIfSecond(lines, $"source '{source.Key}' has two hot lines");
                continue;
            }

            for (int k = 0; k < lines.Count; k++)
            {
                if (lines[k].Index != k + 1)
                {
                    throw new MarbleSyntaxException(
                        $"cold '{source.Key}' lines must be numbered [1], [2], ... in order; expected [{k + 1}] here",
                        lines[k].Line,
                        1);
                }
            }
        }

        var sources = streams.Where(s => s.Kind is MarbleStreamKind.Hot or MarbleStreamKind.Cold).Select(s => s.Source).ToHashSet();
        foreach (var subs in streams.Where(s => s.Kind is MarbleStreamKind.Subs or MarbleStreamKind.Sub))
        {
            if (subs.Kind == MarbleStreamKind.Subs && !sources.Contains(subs.Source))
            {
                throw new MarbleSyntaxException($"'subs {subs.Source}:' names no hot or cold source", subs.Line, 1);
            }

            if (subs.Events.Count == 0)
            {
                int lead = subs.Diagram.Length - subs.Diagram.TrimStart().Length;
                throw new MarbleSyntaxException("a subscription line needs '^'", subs.Line, subs.Column + lead);
            }
        }

        foreach (var stream in streams)
        {
            foreach (var e in stream.Events.Where(e => e.Kind == MarbleEventKind.Error))
            {
                bool known = e.Key == "#" || errors.Any(x => x.Key == e.Key);
                if (!known)
                {
                    throw new MarbleSyntaxException($"'{e.Key}' has no entry in errors:", stream.Line, e.Column);
                }
            }
        }
    }

    private static void ThrowIfSecond(List<MarbleStream> lines, string reason)
    {
        if (lines.Count > 1)
        {
            throw new MarbleSyntaxException(reason, lines[1].Line, 1);
        }
    }
}
