using System.Collections;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace RxFeed.Host.Cli;

/// <summary>
/// The one place where configuration and the command line become <c>run</c>'s connection settings. Layers, lowest
/// first: <c>appsettings.json</c> beside the binary, <c>--config FILE</c>, environment variables, the command line.
/// Each setting has our key (<c>RxFeed:Symbols</c>, env <c>RxFeed__Symbols</c>) and the original bot's names
/// (<c>symbol_src</c>, <c>BINANCE_SYMBOL_SRC</c>, ...); the highest layer holding any of them wins.
/// </summary>
internal static class RunConfiguration
{
    /// <summary>Our configuration section.</summary>
    public const string Section = "RxFeed";

    /// <summary>The settings: our key under <see cref="Section"/>, the command-line flag, then the seed's aliases.</summary>
    public static readonly IReadOnlyList<Setting> Settings =
    [
        new("Endpoint", "--endpoint", "ws_endpoint", "BINANCE_WS_ENDPOINT"),
        new("Symbols", "--symbols", "symbol_src", "BINANCE_SYMBOL_SRC"),
        new("Duration", "--duration"),
        new("StaleAfter", "--stale-after", "message_timeout"),
        new("ReconnectInitial", "--reconnect-initial"),
        new("ReconnectMax", "--reconnect-max", "reconnect_interval", "BINANCE_RECONNECT_INTERVAL"),
        new("MaxReconnectAttempts", "--max-reconnect-attempts", "max_reconnect_attempts"),
        new("PingInterval", "--ping-interval", "ping_interval"),
        new("MaxFrameBytes", "--max-frame-bytes"),
        new("Endpoints", "--endpoint"),
        new("EndpointMode", "--endpoint-mode"),
        new("FailbackAfter", "--failback-after"),
    ];

    /// <summary>Binance's three hosts of one market (<c>--endpoints binance</c>), the market-data-only one last.</summary>
    public static readonly IReadOnlyList<Uri> BinanceEndpoints =
    [
        new("wss://stream.binance.com:9443/ws"),
        new("wss://stream.binance.com:443/ws"),
        new("wss://data-stream.binance.vision/ws"),
    ];

    /// <summary>Builds the layers.</summary>
    /// <param name="configFile">The <c>--config</c> file, if any (must exist).</param>
    /// <param name="environment">Environment variables; null reads the process's.</param>
    /// <param name="commandLine">Our keys (without the section) given explicitly on the command line, as text.</param>
    /// <param name="baseDirectory">Where the optional <c>appsettings.json</c> is looked for; the binary's folder by default.</param>
    /// <param name="onReloadError">
    /// When set, <paramref name="configFile"/> is watched (the root's reload token fires on each change), and a change that
    /// cannot be read is handed here instead of thrown; the caller then keeps its last good settings.
    /// </param>
    /// <returns>The configuration root (its providers are the layers, lowest first).</returns>
    /// <exception cref="ConfigurationException">A file cannot be read or is not valid JSON.</exception>
    public static IConfigurationRoot Build(
        string? configFile,
        IEnumerable<KeyValuePair<string, string?>>? environment,
        IReadOnlyDictionary<string, string> commandLine,
        string? baseDirectory = null,
        Action<Exception>? onReloadError = null)
    {
        var builder = new ConfigurationBuilder();
        builder.AddJsonFile(Path.Combine(baseDirectory ?? AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
        bool built = false;
        if (configFile is not null && onReloadError is not null)
        {
            builder.AddJsonFile(source =>
            {
                source.Path = Path.GetFullPath(configFile);
                source.Optional = false;
                source.ReloadOnChange = true;
                source.ResolveFileProvider();
                source.OnLoadException = context =>
                {
                    // The first load fails as without watching; a bad edit later must never end the run.
                    if (built)
                    {
                        context.Ignore = true;
                        onReloadError(context.Exception);
                    }
                };
            });
        }
        else if (configFile is not null)
        {
            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        }

        // Environment variables as the standard provider names them: RxFeed__Symbols is RxFeed:Symbols.
        IEnumerable<KeyValuePair<string, string?>> env = environment ?? Environment.GetEnvironmentVariables()
            .Cast<DictionaryEntry>()
            .Select(e => new KeyValuePair<string, string?>((string)e.Key, e.Value as string));
        builder.Add(new MemoryConfigurationSource { InitialData = env.Select(e => new KeyValuePair<string, string?>(e.Key.Replace("__", ":", StringComparison.Ordinal), e.Value)) });
        builder.Add(new CommandLineLayer(commandLine.Select(e => new KeyValuePair<string, string?>(Section + ":" + e.Key, e.Value))));
        try
        {
            IConfigurationRoot root = builder.Build();
            built = true;
            return root;
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException or UnauthorizedAccessException)
        {
            string first = (ex.InnerException?.Message ?? ex.Message).Split('\n')[0].Trim();
            throw new ConfigurationException($"{configFile ?? "appsettings.json"}: {first}");
        }
    }

    /// <summary>Binds and validates the connection settings; throws naming the key (as the user wrote it) and the reason.</summary>
    /// <param name="root">The layers from <see cref="Build"/>.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="ConfigurationException">A value is invalid.</exception>
    public static RunConnectionSettings Bind(IConfigurationRoot root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var s = new RunConnectionSettings();
        if (Find(root, "Endpoint") is { } endpoint && !string.IsNullOrWhiteSpace(endpoint.Value))
        {
            s.Endpoint = Uri.TryCreate(endpoint.Value, UriKind.Absolute, out Uri? uri) && (uri.Scheme == "ws" || uri.Scheme == "wss") && !string.IsNullOrEmpty(uri.Host)
                ? uri
                : throw Bad(endpoint, "is not a ws:// or wss:// URL");
        }

        BindEndpoints(root, s);
        if (Find(root, "Symbols") is { } symbols)
        {
            s.Symbols = ParseSymbols(symbols.Value);
            if (s.Symbols.Count == 0)
            {
                throw new ConfigurationException($"{symbols.Key}: at least one symbol is required");
            }
        }

        Found? duration = Find(root, "Duration");
        s.Duration = duration is null ? null : PositiveDuration(duration);
        Found? stale = Find(root, "StaleAfter");
        s.StaleAfter = stale is null ? s.StaleAfter : PositiveDuration(stale);
        Found? initial = Find(root, "ReconnectInitial");
        s.ReconnectInitial = initial is null ? s.ReconnectInitial : PositiveDuration(initial);
        Found? max = Find(root, "ReconnectMax");
        s.ReconnectMax = max is null ? s.ReconnectMax : PositiveDuration(max);
        if (s.ReconnectMax < s.ReconnectInitial)
        {
            string maxKey = max?.Key ?? "the reconnect cap", initialKey = initial?.Key ?? "the first reconnect delay";
            throw new ConfigurationException($"{maxKey}: {RxFeed.Time.Duration.Format(s.ReconnectMax)} must not be below {initialKey} ({RxFeed.Time.Duration.Format(s.ReconnectInitial)})");
        }

        if (Find(root, "MaxReconnectAttempts") is { } attempts)
        {
            s.MaxReconnectAttempts = int.TryParse(attempts.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n)
                ? n : throw Bad(attempts, "is not a whole number (0 = retry forever)");
        }

        if (Find(root, "PingInterval") is { } ping)
        {
            s.PingInterval = ParseDuration(ping);
            if (s.PingInterval != TimeSpan.Zero && s.PingInterval < TimeSpan.FromSeconds(1))
            {
                throw Bad(ping, "must be 0 (off) or at least 1s");
            }
        }

        if (Find(root, "MaxFrameBytes") is { } frameBytes)
        {
            s.MaxFrameBytes = int.TryParse(frameBytes.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
                ? n : throw Bad(frameBytes, "is not a positive integer");
        }

        // Subscription settings: configuration keys only (RxFeed:AckTimeout, ...), no flags.
        Found? ack = Find(root, "AckTimeout");
        s.AckTimeout = ack is null ? s.AckTimeout : PositiveDuration(ack);
        if (Find(root, "ReconcileInterval") is { } reconcile)
        {
            s.ReconcileInterval = ParseDuration(reconcile);
        }

        if (Find(root, "MaxOutgoingPerSecond") is { } outgoing)
        {
            s.MaxOutgoingPerSecond = int.TryParse(outgoing.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n)
                && n is >= 2 and <= RxFeed.Connection.FeedConnectionOptions.ServerMessagesPerSecond
                ? n : throw Bad(outgoing, "must be a whole number from 2 to 5 (Binance closes above 5 frames a second)");
        }

        return s;
    }

    /// <summary>
    /// <c>RxFeed:Endpoints</c> (an array, <c>"a,b"</c>, or the preset <c>binance</c>) wins over <c>RxFeed:Endpoint</c>;
    /// <c>RxFeed:EndpointMode</c> is <c>single</c> by default with one endpoint, <c>hedged</c> with several.
    /// </summary>
    private static void BindEndpoints(IConfigurationRoot root, RunConnectionSettings s)
    {
        if (Find(root, "Endpoints") is { } list && !string.IsNullOrWhiteSpace(list.Value))
        {
            if (list.Value.Trim().Equals("binance", StringComparison.OrdinalIgnoreCase))
            {
                s.Endpoints = BinanceEndpoints;
            }
            else
            {
                var uris = new List<Uri>();
                foreach (string text in list.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    Uri uri = ParseEndpoint(text) ?? throw new ConfigurationException($"{list.Key}: '{text}' is not a ws:// or wss:// URL");
                    if (uris.Contains(uri))
                    {
                        throw new ConfigurationException($"{list.Key}: '{text}' is listed twice");
                    }

                    uris.Add(uri);
                }

                s.Endpoints = uris;
            }

            s.Endpoint = s.Endpoints.Count > 0 ? s.Endpoints[0] : s.Endpoint;
        }
        else if (s.Endpoint is { } single)
        {
            s.Endpoints = [single];
        }

        if (Find(root, "EndpointMode") is { } mode)
        {
            s.EndpointMode = mode.Value.Trim().ToUpperInvariant() switch
            {
                "SINGLE" => RxFeed.Connection.EndpointMode.Single,
                "FAILOVER" => RxFeed.Connection.EndpointMode.Failover,
                "HEDGED" => RxFeed.Connection.EndpointMode.Hedged,
                _ => throw Bad(mode, "is not single, failover or hedged"),
            };
            if (s.EndpointMode != RxFeed.Connection.EndpointMode.Single && s.Endpoints.Count < 2)
            {
                throw new ConfigurationException($"{mode.Key}: '{mode.Value}' needs at least two endpoints (RxFeed:Endpoints, --endpoint repeated, or --endpoints binance)");
            }
        }
        else
        {
            s.EndpointMode = s.Endpoints.Count > 1 ? RxFeed.Connection.EndpointMode.Hedged : RxFeed.Connection.EndpointMode.Single;
        }

        if (Find(root, "FailbackAfter") is { } failback)
        {
            s.FailbackAfter = PositiveDuration(failback);
        }
    }

    private static Uri? ParseEndpoint(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) && (uri.Scheme == "ws" || uri.Scheme == "wss") && !string.IsNullOrEmpty(uri.Host) ? uri : null;

    /// <summary>Splits a comma-separated symbol list; upper case, no duplicates.</summary>
    /// <param name="text">The list.</param>
    /// <returns>The symbols.</returns>
    public static string[] ParseSymbols(string? text) =>
        [.. (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s.ToUpperInvariant()).Distinct(StringComparer.Ordinal)];

    private static TimeSpan PositiveDuration(Found found)
    {
        TimeSpan value = ParseDuration(found);
        return value > TimeSpan.Zero ? value : throw Bad(found, "must be positive");
    }

    /// <summary>A duration in configuration: ours (<c>30s</c>) or the seed's plain number of seconds (<c>reconnect_interval: 30</c>).</summary>
    /// <param name="text">The value.</param>
    /// <param name="value">The duration.</param>
    /// <returns>False when it is neither.</returns>
    public static bool TryParseDuration(string? text, out TimeSpan value)
    {
        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal seconds) && seconds <= 1_000_000_000m)
        {
            value = TimeSpan.FromTicks((long)(seconds * TimeSpan.TicksPerSecond));
            return true;
        }

        return RxFeed.Time.Duration.TryParse(text, out value);
    }

    private static TimeSpan ParseDuration(Found found) =>
        TryParseDuration(found.Value, out TimeSpan value)
            ? value
            : throw Bad(found, "is not a duration (write e.g. 500ms, 2s, 1m, 24h, or a number of seconds)");

    private static ConfigurationException Bad(Found found, string reason) => new($"{found.Key}: '{found.Value}' {reason}");

    /// <summary>
    /// A setting's text from the highest layer that holds our key (under <see cref="Section"/>) or, for the settings in
    /// <see cref="Settings"/>, one of the seed's aliases; with the key as the user wrote it, for error messages.
    /// </summary>
    /// <param name="root">The layers from <see cref="Build"/>.</param>
    /// <param name="name">Our name under the section, e.g. <c>StaleAfter</c> or <c>Quote:AnchorBps</c>.</param>
    /// <returns>The key and the text, or null when no layer has the setting.</returns>
    public static (string Key, string Value)? Lookup(IConfigurationRoot root, string name)
    {
        ArgumentNullException.ThrowIfNull(root);
        return Find(root, name) is { } found ? (found.Key, found.Value) : null;
    }

    /// <summary>The value of a setting from the highest layer that holds our key or one of its aliases.</summary>
    private static Found? Find(IConfigurationRoot root, string name)
    {
        Setting setting = Settings.FirstOrDefault(s => s.Name == name) ?? new Setting(name, Section + ":" + name);
        string ours = Section + ":" + name;
        foreach (IConfigurationProvider layer in root.Providers.Reverse())
        {
            if (layer.TryGet(ours, out string? value) && value is not null)
            {
                return new Found(layer is CommandLineProvider ? setting.Flag : ours, value);
            }

            // A JSON array (["BTCUSDT","ETHUSDT"]) arrives as RxFeed:Symbols:0, :1, ...
            string[] items = [.. layer.GetChildKeys([], ours).Distinct(StringComparer.OrdinalIgnoreCase)
                .OrderBy(k => int.TryParse(k, out int i) ? i : int.MaxValue)
                .Select(k => layer.TryGet(ours + ":" + k, out string? v) ? v ?? string.Empty : string.Empty)];
            if (items.Length > 0)
            {
                return new Found(ours, string.Join(',', items));
            }

            foreach (string alias in setting.Aliases)
            {
                if (layer.TryGet(alias, out value) && value is not null)
                {
                    return new Found(alias, value);
                }
            }
        }

        return null;
    }

    /// <summary>A setting: our name (under <see cref="Section"/>), its command-line flag and the seed's names for it.</summary>
    internal sealed class Setting
    {
        public Setting(string name, string flag, params string[] aliases)
        {
            Name = name;
            Flag = flag;
            Aliases = aliases;
        }

        public string Name { get; }

        public string Flag { get; }

        public IReadOnlyList<string> Aliases { get; }
    }

    private sealed class Found
    {
        public Found(string key, string value)
        {
            Key = key;
            Value = value;
        }

        public string Key { get; }

        public string Value { get; }
    }

    /// <summary>The command line as the top layer; its own type so errors name the flag, not a key.</summary>
    private sealed class CommandLineLayer : IConfigurationSource
    {
        private readonly IEnumerable<KeyValuePair<string, string?>> _data;

        public CommandLineLayer(IEnumerable<KeyValuePair<string, string?>> data) => _data = data;

        public IConfigurationProvider Build(IConfigurationBuilder builder) => new CommandLineProvider(_data);
    }

    private sealed class CommandLineProvider : ConfigurationProvider
    {
        public CommandLineProvider(IEnumerable<KeyValuePair<string, string?>> data)
        {
            foreach (KeyValuePair<string, string?> pair in data)
            {
                Data[pair.Key] = pair.Value;
            }
        }
    }
}

/// <summary>Invalid configuration: the message names the key and the reason; <c>run</c> exits 2 with it.</summary>
internal sealed class ConfigurationException : Exception
{
    public ConfigurationException(string message)
        : base(message)
    {
    }
}

/// <summary><c>run</c>'s connection settings after layering.</summary>
internal sealed class RunConnectionSettings
{
    public Uri? Endpoint { get; set; }

    /// <summary>Gets or sets every endpoint, the preferred first; empty when none is configured (the embedded exchange).</summary>
    public IReadOnlyList<Uri> Endpoints { get; set; } = [];

    public RxFeed.Connection.EndpointMode EndpointMode { get; set; }

    public TimeSpan FailbackAfter { get; set; } = TimeSpan.FromSeconds(30);

    public IReadOnlyList<string> Symbols { get; set; } = ["ADAUSDT"];

    public TimeSpan? Duration { get; set; }

    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan ReconnectInitial { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMax { get; set; } = TimeSpan.FromSeconds(30);

    public int MaxReconnectAttempts { get; set; }

    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(15);

    public int MaxFrameBytes { get; set; } = RxFeed.Parsing.FrameParser.DefaultMaxFrameBytes;

    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(5);

    public int MaxOutgoingPerSecond { get; set; } = RxFeed.Connection.FeedConnectionOptions.ServerMessagesPerSecond - 1;

    public RxFeed.Connection.FeedConnectionOptions ToConnectionOptions(Uri endpoint) => new()
    {
        Endpoint = endpoint,
        Symbols = Symbols,
        StaleAfter = StaleAfter,
        ReconnectInitial = ReconnectInitial,
        ReconnectMax = ReconnectMax,
        MaxReconnectAttempts = MaxReconnectAttempts,
        KeepAliveInterval = PingInterval,
        MaxFrameBytes = MaxFrameBytes,
        AckTimeout = AckTimeout,
        ReconcileInterval = ReconcileInterval,
        OutboundMessagesPerSecond = MaxOutgoingPerSecond,
    };
}
