using System.CommandLine;
using System.CommandLine.Parsing;
using RxFeed.Host.Verbs;

namespace RxFeed.Host;

/// <summary>The <c>rxfeed</c> console host: exit 0 on success, 1 when the run failed, 2 for a usage error.</summary>
internal static class Program
{
    public const int UsageError = 2;

    public static async Task<int> Main(string[] args)
    {
        RootCommand root = CreateRoot();
        ParseResult parse = root.Parse(args);
        string? unknown = parse.Tokens.FirstOrDefault(t => t.Type == TokenType.Argument && t.Value.StartsWith("--", StringComparison.Ordinal))?.Value;
        if (unknown is not null)
        {
            await Console.Error.WriteLineAsync($"rxfeed: unknown option '{unknown}' (see rxfeed --help)").ConfigureAwait(false);
            return UsageError;
        }

        if (parse.Errors.Count > 0)
        {
            // One clear line naming the problem, never a stack trace.
            await Console.Error.WriteLineAsync($"rxfeed: {parse.Errors[0].Message}").ConfigureAwait(false);
            return UsageError;
        }

        return await parse.InvokeAsync().ConfigureAwait(false);
    }

    public static RootCommand CreateRoot() => new("RxFeed: Binance market data as a self-healing Rx pipeline, with a quote engine and a paper order manager.")
    {
        ReplayVerb.Create(),
        RunVerb.Create(),
        RecordVerb.Create(),
        ExchangeVerb.Create(),
    };
}
