namespace RxFeed.Exchange.Sessions;

/// <summary>What a client asked for in its upgrade URL: <c>/ws</c>, <c>/ws/a/b</c> (raw) or <c>/stream?streams=a/b</c> (combined).</summary>
/// <param name="Combined">Whether frames are wrapped in the combined envelope.</param>
/// <param name="Streams">The streams to start with.</param>
internal sealed record UpgradeRequest(bool Combined, IReadOnlyList<string> Streams)
{
    /// <summary>Parses a request path and query.</summary>
    /// <param name="path">The path, e.g. <c>/ws/ethusdt@bookTicker</c>.</param>
    /// <param name="streamsQuery">The <c>streams</c> query value, if any.</param>
    /// <param name="request">The parsed request.</param>
    /// <param name="error">Why it was rejected, when the path is known but a stream name is not valid.</param>
    /// <returns><see langword="true"/> when the path is one of the exchange's endpoints.</returns>
    public static bool TryParse(string path, string? streamsQuery, out UpgradeRequest? request, out string? error)
    {
        request = null;
        error = null;
        string[] names;
        bool combined;
        if (path is "/ws" or "/ws/")
        {
            names = [];
            combined = false;
        }
        else if (path.StartsWith("/ws/", StringComparison.Ordinal))
        {
            names = path[4..].Split('/', StringSplitOptions.RemoveEmptyEntries);
            combined = false;
        }
        else if (path is "/stream" or "/stream/")
        {
            names = (streamsQuery ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
            combined = true;
        }
        else
        {
            return false;
        }

        var invalid = names.FirstOrDefault(n => !StreamNames.IsValid(n));
        if (invalid is not null)
        {
            error = $"Invalid stream name: {invalid}";
            return true;
        }

        request = new UpgradeRequest(combined, names.Distinct(StringComparer.Ordinal).ToArray());
        return true;
    }
}
