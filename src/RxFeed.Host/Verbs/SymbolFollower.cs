using System.Reactive.Linq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using RxFeed.Connection;
using RxFeed.Host.Cli;

namespace RxFeed.Host.Verbs;

/// <summary>
/// <c>rxfeed run --config FILE</c> follows <c>RxFeed:Symbols</c> in FILE while it runs: on each change the difference is
/// unsubscribed (quoting pulled out first) and subscribed on the running connections, none of them reconnected. A change
/// that cannot be read or bound is logged and ignored; the run goes on with the set it has.
/// </summary>
internal sealed partial class SymbolFollower : IDisposable
{
    private readonly IConfigurationRoot _root;
    private readonly FeedConnection _connection;
    private readonly Func<IReadOnlyList<string>, Task> _pullOut;
    private readonly Action<IReadOnlyList<string>, IReadOnlyList<string>> _changed;
    private readonly ILogger _logger;
    private readonly IDisposable _watch;
    private readonly object _gate = new();
    private HashSet<string> _current;
    private volatile bool _badEdit;
    private bool _disposed;

    /// <param name="configFile">The <c>--config</c> file.</param>
    /// <param name="given">The flags typed on the command line (a typed <c>--symbols</c> stays on top: edits then change nothing).</param>
    /// <param name="connection">The running connection.</param>
    /// <param name="pullOut">Ends the removed symbols' quoting (quotes pulled, orders cancelled) before they are unsubscribed.</param>
    /// <param name="changed">Told each applied change (added, removed), for the dashboard and status lines.</param>
    /// <param name="logger">Where changes, results and ignored edits are logged.</param>
    public SymbolFollower(
        string configFile,
        IReadOnlyDictionary<string, string> given,
        FeedConnection connection,
        Func<IReadOnlyList<string>, Task> pullOut,
        Action<IReadOnlyList<string>, IReadOnlyList<string>> changed,
        ILogger logger)
    {
        _connection = connection;
        _pullOut = pullOut;
        _changed = changed;
        _logger = logger;
        _current = new HashSet<string>(connection.Symbols, StringComparer.Ordinal);
        _root = RunConfiguration.Build(configFile, null, given, onReloadError: OnBadEdit);
        _watch = ChangeToken.OnChange(_root.GetReloadToken, OnReload);
    }

    /// <summary>Gets the task of the change being applied, for tests and a clean stop.</summary>
    public Task Applying { get; private set; } = Task.CompletedTask;

    public void Dispose()
    {
        _disposed = true;
        _watch.Dispose();
        (_root as IDisposable)?.Dispose();
    }

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "config change ignored, the run keeps its symbols: {Reason}")]
    private static partial void Ignored(ILogger logger, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "config changed: subscribing {Added}, unsubscribing {Removed}")]
    private static partial void Changing(ILogger logger, string[] added, string[] removed);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "{Symbol}: {Result}")]
    private static partial void Result(ILogger logger, string symbol, SubscriptionResult result);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "{Symbol}: {Result}")]
    private static partial void Failed(ILogger logger, string symbol, SubscriptionResult result);

    private void OnBadEdit(Exception error)
    {
        _badEdit = true;
        Ignored(_logger, (error.InnerException?.Message ?? error.Message).Split('\n')[0].Trim());
    }

    private void OnReload()
    {
        if (_disposed)
        {
            return;
        }

        if (_badEdit)
        {
            _badEdit = false; // already logged; the file's layer is empty until it is fixed, so nothing is bound now
            return;
        }

        IReadOnlyList<string> symbols;
        try
        {
            symbols = RunConfiguration.Bind(_root).Symbols;
        }
        catch (ConfigurationException ex)
        {
            Ignored(_logger, ex.Message);
            return;
        }

        lock (_gate)
        {
            // One change at a time, in the order the edits came.
            Applying = Applying.ContinueWith(_ => ApplyAsync(symbols), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }
    }

    private async Task ApplyAsync(IReadOnlyList<string> symbols)
    {
        try
        {
            string[] added = [.. symbols.Where(s => !_current.Contains(s))];
            string[] removed = [.. _current.Where(s => !symbols.Contains(s, StringComparer.Ordinal)).Order(StringComparer.Ordinal)];
            if (_disposed || (added.Length == 0 && removed.Length == 0))
            {
                return;
            }

            Changing(_logger, added, removed);
            _current = new HashSet<string>(symbols, StringComparer.Ordinal);
            _changed(added, removed);

            // Pull quoting out of the removed ones at once; subscribe the new ones before unsubscribing, so a connection
            // whose streams are all replaced is kept rather than emptied, closed and opened again.
            if (removed.Length > 0)
            {
                await _pullOut(removed).ConfigureAwait(false);
            }

            if (added.Length > 0)
            {
                Log(await _connection.Subscribe(added).ToList());
            }

            if (removed.Length > 0)
            {
                Log(await _connection.Unsubscribe(removed).ToList());
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Ignored(_logger, ex.Message); // a change must never end the run
        }
    }

    private void Log(IList<SubscriptionResult> results)
    {
        foreach (SubscriptionResult r in results)
        {
            if (r.IsAcked)
            {
                Result(_logger, r.Symbol, r);
            }
            else
            {
                Failed(_logger, r.Symbol, r);
            }
        }
    }
}
