using System.Globalization;
using RxFeed.Time;

namespace RxFeed.Exchange.Faults;

/// <summary>
/// One line of a fault script: <c>&lt;when&gt; &lt;fault&gt; [arguments]</c>, the time counted from the start of the
/// script. Faults: <c>drop</c>, <c>stall</c>, <c>close &lt;code&gt; [reason]</c>, <c>shutdown [grace]</c> (grace 0 closes at once), <c>refuse &lt;n&gt;</c>,
/// <c>bad &lt;kind&gt; &lt;count&gt;</c> (kinds: garbage, truncated, oversized, invalid, duplicate, older, inverted),
/// <c>burst &lt;multiplier&gt; &lt;duration&gt;</c>, <c>delay &lt;latency&gt; [duration]</c> (data frames held that much longer; no
/// duration: for good, <c>delay 0s</c> ends it), <c>jitter &lt;latency&gt; [duration]</c> (a random 0 to latency more, in order),
/// <c>forget &lt;stream&gt;</c>, <c>ignore-requests &lt;n&gt;</c>.
/// Example: <c>10s close 1008</c>, <c>30s burst 10 5s</c>, <c>0s delay 5ms</c>.
/// </summary>
/// <param name="At">When, from the start of the script.</param>
/// <param name="Fault">The fault name.</param>
/// <param name="Arguments">Its arguments.</param>
public sealed record FaultStep(TimeSpan At, string Fault, IReadOnlyList<string> Arguments)
{
    /// <summary>Parses one step.</summary>
    /// <param name="line">The line, e.g. <c>5s bad inverted 3</c>.</param>
    /// <returns>The step.</returns>
    /// <exception cref="FormatException">The line is not a valid step.</exception>
    public static FaultStep Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || !Duration.TryParse(parts[0], out var at))
        {
            throw new FormatException($"A fault step is '<when> <fault> [arguments]', e.g. '10s drop': '{line}'");
        }

        var step = new FaultStep(at, parts[1].ToLowerInvariant(), parts[2..]);
        step.Validate();
        return step;
    }

    /// <summary>Parses a script: one step a line; blank lines and lines starting with <c>#</c> are skipped.</summary>
    /// <param name="text">The script.</param>
    /// <returns>The steps in time order.</returns>
    /// <exception cref="FormatException">A line is not a valid step (the message names it).</exception>
    public static IReadOnlyList<FaultStep> ParseScript(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var steps = new List<FaultStep>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            try
            {
                steps.Add(Parse(line));
            }
            catch (FormatException ex)
            {
                throw new FormatException($"Line {number}: {ex.Message}", ex);
            }
        }

        return steps.OrderBy(s => s.At).ToList();
    }

    /// <summary>Maps a script's kind name to a <see cref="BadFrameKind"/>.</summary>
    /// <param name="name">garbage, truncated, oversized, invalid, duplicate, older or inverted.</param>
    /// <returns>The kind.</returns>
    /// <exception cref="FormatException">Unknown name.</exception>
    public static BadFrameKind ParseKind(string name) => name.ToLowerInvariant() switch
    {
        "garbage" => BadFrameKind.Garbage,
        "truncated" => BadFrameKind.Truncated,
        "oversized" => BadFrameKind.Oversized,
        "invalid" or "invalidfields" => BadFrameKind.InvalidFields,
        "duplicate" or "duplicates" => BadFrameKind.Duplicate,
        "older" or "olderu" or "olderupdateid" => BadFrameKind.OlderUpdateId,
        "inverted" => BadFrameKind.Inverted,
        _ => throw new FormatException($"Unknown bad frame kind '{name}' (garbage, truncated, oversized, invalid, duplicate, older, inverted)"),
    };

    /// <summary>Applies the step to the exchange's faults now.</summary>
    /// <param name="faults">The faults.</param>
    public void ApplyTo(ExchangeFaults faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        switch (Fault)
        {
            case "drop": faults.DropAll(); break;
            case "stall": faults.StallAll(); break;
            case "close": faults.CloseAll(Int(0), string.Join(' ', Arguments.Skip(1))); break;
            case "shutdown": _ = Arguments.Count > 0 ? faults.ShutdownAll(Grace(0)) : faults.ShutdownAll(); break;
            case "refuse": faults.RefuseNextUpgrades(Int(0)); break;
            case "bad": faults.InjectBadFrames(ParseKind(Arguments[0]), Arguments.Count > 1 ? Int(1) : 1); break;
            case "delay": faults.Delay(Latency(0), Arguments.Count > 1 ? DurationArgument(1) : null); break;
            case "jitter": faults.Jitter(Latency(0), Arguments.Count > 1 ? DurationArgument(1) : null); break;
            case "forget": faults.Forget(Arguments[0]); break;
            case "ignore-requests": faults.IgnoreRequests(Int(0)); break;
            default: faults.Burst(Double(0), DurationArgument(1)); break;
        }
    }

    private void Validate()
    {
        var expected = Fault switch
        {
            "drop" or "stall" or "shutdown" => 0,
            "close" or "refuse" => 1,
            "bad" or "burst" => 1,
            "delay" or "jitter" => 1,
            "forget" or "ignore-requests" => 1,
            _ => throw new FormatException($"Unknown fault '{Fault}' (drop, stall, close, shutdown, refuse, bad, burst, delay, jitter, forget, ignore-requests)"),
        };
        if (Arguments.Count < expected)
        {
            throw new FormatException($"The fault '{Fault}' needs an argument");
        }

        switch (Fault)
        {
            case "close" when !Frames.WebSocketCloseCodes.IsValidOnWire(Int(0)):
                throw new FormatException($"Close code {Arguments[0]} may not be sent");
            case "shutdown" when Arguments.Count > 0:
                _ = Grace(0);
                break;
            case "refuse" when Int(0) < 0:
                throw new FormatException("refuse needs a count of 0 or more");
            case "ignore-requests" when Int(0) < 0:
                throw new FormatException("ignore-requests needs a count of 0 or more");
            case "bad":
                _ = ParseKind(Arguments[0]);
                if (Arguments.Count > 1 && Int(1) < 0)
                {
                    throw new FormatException("bad needs a count of 0 or more");
                }

                break;
            case "burst":
                if (Arguments.Count < 2 || Double(0) < 0)
                {
                    throw new FormatException("burst needs a multiplier of 0 or more and a duration, e.g. 'burst 10 5s'");
                }

                _ = DurationArgument(1);
                break;
            case "delay" or "jitter":
                _ = Latency(0);
                if (Arguments.Count > 1)
                {
                    _ = DurationArgument(1);
                }

                break;
            default:
                break;
        }
    }

    private int Int(int index) => int.TryParse(Arguments[index], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
        ? value
        : throw new FormatException($"'{Arguments[index]}' is not an integer");

    private double Double(int index) => double.TryParse(Arguments[index], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
        ? value
        : throw new FormatException($"'{Arguments[index]}' is not a number");

    private TimeSpan Grace(int index) => Duration.TryParse(Arguments[index], out var value)
        ? value
        : throw new FormatException($"'{Arguments[index]}' is not a grace such as 0s, 500ms, 5s");

    private TimeSpan Latency(int index) => Duration.TryParse(Arguments[index], out var value)
        ? value
        : throw new FormatException($"'{Arguments[index]}' is not a latency such as 0s, 5ms, 1s");

    private TimeSpan DurationArgument(int index) => Duration.TryParse(Arguments[index], out var value) && value > TimeSpan.Zero
        ? value
        : throw new FormatException($"'{Arguments[index]}' is not a duration such as 500ms, 2s, 1m");
}
