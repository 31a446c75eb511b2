using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using RxFeed.Host.Cli;
using RxFeed.Orders;
using RxFeed.Quoting;

namespace RxFeed.Host.Verbs;

/// <summary>
/// The quote engine's flags of <c>host-cli.md</c> (with their defaults), the quoting outputs, and their binding to
/// <see cref="QuotingSessionOptions"/>; shared by <c>replay</c> and <c>run</c>.
/// </summary>
internal sealed class QuoteFlags
{
    /// <summary>Each option's text parser, so a setting read from configuration obeys exactly the flag's rules.</summary>
    private static readonly ConditionalWeakTable<Option, object> Parsers = [];

    private bool _withStaleAfter;

    /// <summary>Gets or sets the verb's <c>--config</c> option, when it has one: its file is a layer for the quote settings too.</summary>
    public Option<FileInfo?>? Config { get; set; }

    public Option<decimal> AnchorBps { get; } = DecimalOption("--anchor-bps", 0m, "Anchor in basis points, added to the venue spread", allowNegative: true);

    public Option<decimal> VenueSpreadBps { get; } = DecimalOption("--venue-spread-bps", 10m, "Venue spread in basis points", allowNegative: true);

    public Option<int> PricePrecision { get; } = IntOption("--price-precision", 6, 0, 18, "Decimals of quoted prices, rounded half away from zero");

    public Option<decimal> QuoteSize { get; } = DecimalOption("--quote-size", 100m, "Size quoted on each side", allowNegative: false);

    public Option<bool> BidEnabled { get; } = BoolOption("--bid-enabled", "Quote the bid side");

    public Option<bool> AskEnabled { get; } = BoolOption("--ask-enabled", "Quote the ask side");

    public Option<TimeSpan> MinRequote { get; } = DurationOption("--min-requote", TimeSpan.Zero, "At most one quote per symbol per this interval; the latest pending candidate is emitted when it ends");

    public Option<int> RequoteTicks { get; } = IntOption("--requote-ticks", 1, 0, int.MaxValue, "Requote when an enabled side moves at least this many price ticks");

    public Option<int> OrderRate { get; } = IntOption("--order-rate", 10, 1, 1_000_000, "Order places per second (token bucket of this capacity)");

    public Option<TimeSpan> OrderLatency { get; } = DurationOption("--order-latency", TimeSpan.Zero, "How long the paper venue takes to answer an order place or cancel");

    public Option<double> OrderRejectRate { get; } = TextOption(
        "--order-reject-rate", "Share of order places the paper venue refuses, from 0 to 1 (default 0).", 0d, new TextParser<double>(
            (string text, out double value) => double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value) && value <= 1,
            "a number from 0 to 1"));

    public Option<string?> SymbolDst { get; } = new("--symbol-dst")
    {
        Description = "The venue symbol the quotes are for: NAME, or SRC=DST,SRC2=DST2 (default: the source symbol).",
        HelpName = "NAME",
    };

    public Option<int> Layers { get; } = IntOption("--quote-layers", 1, 1, 64, "Price levels quoted per side");

    public Option<decimal> LayerStepBps { get; } = DecimalOption("--layer-step-bps", 5m, "How much wider each further layer is, in basis points", allowNegative: false);

    public Option<decimal> LayerSizeStep { get; } = DecimalOption("--layer-size-step", 1m, "How much each further layer's size grows, in multiples of --quote-size", allowNegative: false);

    public Option<TimeSpan> StaleAfter { get; } = DurationOption("--stale-after", TimeSpan.FromSeconds(10), "A symbol with no delivered book ticker for this long is Stale");

    public Option<FileInfo?> QuotesOut { get; } = CliOptions.OutputFile("--quotes-out", "Write every quote and cancel as NDJSON.");

    public Option<FileInfo?> OrdersOut { get; } = CliOptions.OutputFile("--orders-out", "Write every order place and cancel as NDJSON.");

    public Option<FileInfo?> HealthOut { get; } = CliOptions.OutputFile("--health-out", "Write every change of a symbol's health as NDJSON.");

    /// <summary>Adds the quote flags and the outputs to a verb (and a validator that reports bad combinations as usage errors).</summary>
    /// <param name="command">The verb.</param>
    /// <param name="withStaleAfter">False when the verb declares <c>--stale-after</c> itself.</param>
    /// <param name="withHealthOut">False when the verb declares <c>--health-out</c> itself.</param>
    public void AddTo(Command command, bool withStaleAfter = true, bool withHealthOut = true)
    {
        ArgumentNullException.ThrowIfNull(command);
        Option[] options =
        [
            AnchorBps, VenueSpreadBps, PricePrecision, QuoteSize, BidEnabled, AskEnabled, MinRequote, RequoteTicks, OrderRate,
            OrderLatency, OrderRejectRate, SymbolDst, Layers, LayerStepBps, LayerSizeStep, QuotesOut, OrdersOut,
        ];
        foreach (Option option in options)
        {
            command.Options.Add(option);
        }

        _withStaleAfter = withStaleAfter;
        if (withStaleAfter)
        {
            command.Options.Add(StaleAfter);
        }

        if (withHealthOut)
        {
            command.Options.Add(HealthOut);
        }

        command.Validators.Add(result =>
        {
            try
            {
                QuotingSessionOptions options = Bind(result);
                options.Quote.Validate();
                options.Orders.Validate();
            }
            catch (InvalidOperationException)
            {
                // An option's own parse error is already reported.
            }
            catch (ConfigurationException ex)
            {
                result.AddError(ex.Message);
            }
            catch (ArgumentException ex)
            {
                result.AddError($"quote flags: {ex.Message.Split(Environment.NewLine)[0]}");
            }
        });
    }

    /// <summary>Binds the parsed flags.</summary>
    /// <param name="parse">The parse result.</param>
    /// <returns>The session options.</returns>
    public QuotingSessionOptions Bind(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return Bind(parse.CommandResult);
    }

    private static Option<decimal> DecimalOption(string name, decimal defaultValue, string description, bool allowNegative) => TextOption(
        name, $"{description} (default {defaultValue.ToString(CultureInfo.InvariantCulture)}).", defaultValue, new TextParser<decimal>(
            (string text, out decimal value) => decimal.TryParse(text, NumberStyles.AllowDecimalPoint | (allowNegative ? NumberStyles.AllowLeadingSign : NumberStyles.None), CultureInfo.InvariantCulture, out value),
            $"a{(allowNegative ? string.Empty : " non-negative")} decimal number"));

    private static Option<int> IntOption(string name, int defaultValue, int min, int max, string description) => TextOption(
        name, $"{description} (default {defaultValue}).", defaultValue, new TextParser<int>(
            (string text, out int value) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max,
            $"an integer from {min} to {max}"));

    // A bare flag means true; otherwise exactly true or false.
    private static Option<bool> BoolOption(string name, string description) => TextOption(
        name, $"{description}: true or false (default true).", true, new TextParser<bool>(bool.TryParse, "true or false"), bareValue: "true");

    /// <summary>A duration flag; in configuration the seed's plain number of seconds is accepted too, as for the connection settings.</summary>
    private static Option<TimeSpan> DurationOption(string name, TimeSpan defaultValue, string description)
    {
        Option<TimeSpan> option = CliOptions.Duration(name, defaultValue, description);
        Parsers.AddOrUpdate(option, new TextParser<TimeSpan>(RunConfiguration.TryParseDuration, "a duration (write e.g. 500ms, 2s, 1m, or a number of seconds)"));
        return option;
    }

    /// <summary>An option whose text is read by <paramref name="parser"/>, which also reads the same setting from configuration.</summary>
    private static Option<T> TextOption<T>(string name, string description, T defaultValue, TextParser<T> parser, string? bareValue = null)
    {
        var option = new Option<T>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : bareValue ?? string.Empty;
                if (parser.TryParse(text, out T value))
                {
                    return value;
                }

                result.AddError($"{name}: '{text}' is not {parser.Expected}");
                return defaultValue;
            },
        };
        if (bareValue is not null)
        {
            option.Arity = ArgumentArity.ZeroOrOne;
        }

        Parsers.AddOrUpdate(option, parser);
        return option;
    }

    /// <summary>Reads an option; in a command validator options not on the command line have no value yet, so take the default.</summary>
    private static T Get<T>(SymbolResult result, Option<T> option) =>
        result.GetResult(option) is null && option.DefaultValueFactory is { } factory ? factory(null!) : result.GetValue(option)!;

    private QuotingSessionOptions Bind(SymbolResult result)
    {
        // Layers, lowest first: appsettings.json, the verb's --config file, environment variables, then the flags typed.
        IConfigurationRoot config = RunConfiguration.Build(Config is null ? null : Get(result, Config)?.FullName, null, new Dictionary<string, string>());
        const string Quote = QuoteOptions.SectionName + ":";
        const string Orders = OrderOptions.SectionName + ":";
        return new QuotingSessionOptions
        {
            // A verb that declares --stale-after itself sets QuotingSessionOptions.StaleAfter from its own option.
            StaleAfter = _withStaleAfter ? Pick(result, config, StaleAfter, "StaleAfter") : TimeSpan.FromSeconds(10),
            Quote = new QuoteOptions
            {
                AnchorBps = Pick(result, config, AnchorBps, Quote + nameof(QuoteOptions.AnchorBps)),
                VenueSpreadBps = Pick(result, config, VenueSpreadBps, Quote + nameof(QuoteOptions.VenueSpreadBps)),
                PricePrecision = Pick(result, config, PricePrecision, Quote + nameof(QuoteOptions.PricePrecision)),
                QuoteSize = Pick(result, config, QuoteSize, Quote + nameof(QuoteOptions.QuoteSize)),
                BidEnabled = Pick(result, config, BidEnabled, Quote + nameof(QuoteOptions.BidEnabled)),
                AskEnabled = Pick(result, config, AskEnabled, Quote + nameof(QuoteOptions.AskEnabled)),
                MinRequote = Pick(result, config, MinRequote, Quote + nameof(QuoteOptions.MinRequote)),
                RequoteTicks = Pick(result, config, RequoteTicks, Quote + nameof(QuoteOptions.RequoteTicks)),
                SymbolDst = Pick(result, config, SymbolDst, Quote + nameof(QuoteOptions.SymbolDst)),
                Layers = Pick(result, config, Layers, Quote + nameof(QuoteOptions.Layers)),
                LayerStepBps = Pick(result, config, LayerStepBps, Quote + nameof(QuoteOptions.LayerStepBps)),
                LayerSizeStep = Pick(result, config, LayerSizeStep, Quote + nameof(QuoteOptions.LayerSizeStep)),
            },
            Orders = new OrderOptions
            {
                OrderRate = Pick(result, config, OrderRate, Orders + nameof(OrderOptions.OrderRate)),
                Latency = Pick(result, config, OrderLatency, Orders + nameof(OrderOptions.Latency)),
                RejectRate = Pick(result, config, OrderRejectRate, Orders + nameof(OrderOptions.RejectRate)),
            },
        };
    }

    /// <summary>
    /// A flag the user typed; else the setting from configuration (our key under <c>RxFeed</c>, or the seed's alias, as the
    /// connection settings read them), read by the flag's own parser; else the flag's default.
    /// </summary>
    private static T Pick<T>(SymbolResult result, IConfigurationRoot config, Option<T> option, string name)
    {
        if (result.GetResult(option) is { Implicit: false } || RunConfiguration.Lookup(config, name) is not { } found)
        {
            return Get(result, option);
        }

        (string key, string text) = found;

        if (!Parsers.TryGetValue(option, out object? parser))
        {
            return (T)(object)text; // a plain text setting (--symbol-dst)
        }

        var typed = (TextParser<T>)parser;
        return typed.TryParse(text, out T value) ? value : throw new ConfigurationException($"{key}: '{text}' is not {typed.Expected}");
    }
}

/// <summary>Reads a setting's text.</summary>
/// <typeparam name="T">The setting's type.</typeparam>
/// <param name="text">The text.</param>
/// <param name="value">The value.</param>
/// <returns>False when the text is not a valid value.</returns>
internal delegate bool TryParseText<T>(string text, out T value);

/// <summary>A flag's text rule, shared by the command line and configuration.</summary>
/// <typeparam name="T">The setting's type.</typeparam>
internal sealed class TextParser<T>(TryParseText<T> tryParse, string expected)
{
    public TryParseText<T> TryParse { get; } = tryParse;

    /// <summary>Gets what a valid value is, for error messages ("a decimal number").</summary>
    public string Expected { get; } = expected;
}
