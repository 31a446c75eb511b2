using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.Reactive.Testing;

namespace RxFeed.Testing;

/// <summary>
/// Runs <c>.marble</c> files against operators registered with <see cref="MarbleOperatorAttribute"/>: builds the
/// sources, binds the arguments, runs in virtual time and compares <c>out:</c> and every <c>subs x:</c> line.
/// </summary>
public sealed class MarbleRunner
{
    private readonly Dictionary<string, MethodInfo> _operators = new(StringComparer.Ordinal);
    private readonly JsonSerializerOptions _json;

    /// <summary>Initializes a new instance of the <see cref="MarbleRunner"/> class.</summary>
    /// <param name="operatorAssemblies">Where to look for <see cref="MarbleOperatorAttribute"/> methods.</param>
    public MarbleRunner(params Assembly[] operatorAssemblies)
        : this(null, operatorAssemblies)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MarbleRunner"/> class.</summary>
    /// <param name="json">How values deserialise; default: System.Text.Json defaults plus enums by name.</param>
    /// <param name="operatorAssemblies">Where to look for <see cref="MarbleOperatorAttribute"/> methods.</param>
    public MarbleRunner(JsonSerializerOptions? json, params Assembly[] operatorAssemblies)
    {
        ArgumentNullException.ThrowIfNull(operatorAssemblies);
        _json = json ?? MarbleBinder.DefaultJson;
        var methods = operatorAssemblies
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<MarbleOperatorAttribute>()))
            .Where(x => x.Attribute is not null);
        foreach (var (method, attribute) in methods)
        {
            if (!_operators.TryAdd(attribute!.Name, method))
            {
                throw new InvalidOperationException($"Two operators are registered as '{attribute.Name}'.");
            }
        }
    }

    /// <summary>Gets the registered operator names.</summary>
    public IReadOnlyCollection<string> Operators => _operators.Keys;

    /// <summary>Finds a folder by walking up from <paramref name="start"/> (e.g. the test assembly's folder to the repository's <c>marbles/</c>).</summary>
    /// <param name="start">Where to start.</param>
    /// <param name="name">The folder name.</param>
    /// <returns>The folder's full path, or null.</returns>
    public static string? FindFolderUpwards(string start, string name = "marbles")
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, name);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Lists every <c>*.marble</c> file under a folder, sorted, relative to it with '/' separators.</summary>
    /// <param name="folder">The folder.</param>
    /// <returns>The relative paths.</returns>
    public static IReadOnlyList<string> Discover(string folder) =>
        Directory.EnumerateFiles(folder, "*.marble", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Runs one file.</summary>
    /// <param name="file">The parsed file.</param>
    /// <exception cref="MarbleAssertionException">The operator's output or subscriptions differ from the file.</exception>
    /// <exception cref="MarbleSyntaxException">The file does not fit the operator (an unknown argument, a value of the wrong type, ...).</exception>
    public void Run(MarbleFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!_operators.TryGetValue(file.Operator, out var method))
        {
            throw new MarbleAssertionException($"{file.Path}: no operator is registered as '{file.Operator}' (registered: {string.Join(", ", _operators.Keys.Order())}).");
        }

        var output = method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(IObservable<>)
            ? method.ReturnType.GetGenericArguments()[0]
            : throw new InvalidOperationException($"Operator '{file.Operator}' must return IObservable<T>.");
        var run = typeof(MarbleRunner).GetMethod(nameof(RunTyped), BindingFlags.NonPublic | BindingFlags.Instance)!.MakeGenericMethod(output);
        Unwrapped(() => run.Invoke(this, [file, method]));
    }

    /// <summary>Reflection wraps what the invoked method throws; the test should see the kit's own exception.</summary>
    private static object? Unwrapped(Func<object?> invoke)
    {
        try
        {
            return invoke();
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    private void RunTyped<TOut>(MarbleFile file, MethodInfo method)
    {
        var scheduler = new MarbleScheduler(file.Frame);
        var errors = MarbleBinder.Errors(file.Errors);
        var sources = new Dictionary<string, (object Observable, Func<IList<Subscription>> Subscriptions)>();
        var parameters = method.GetParameters();
        var arguments = new object?[parameters.Length];
        var usedArguments = new HashSet<string>();
        for (int i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            var lines = file.Streams.Where(s => s.Source == p.Name && s.Kind is MarbleStreamKind.Hot or MarbleStreamKind.Cold).ToList();
            if (p.ParameterType.IsAssignableFrom(typeof(MarbleScheduler)) && p.ParameterType != typeof(object))
            {
                arguments[i] = scheduler;
            }
            else if (p.ParameterType.IsGenericType && p.ParameterType.GetGenericTypeDefinition() == typeof(IObservable<>))
            {
                if (lines.Count == 0)
                {
                    throw new MarbleAssertionException($"{file.Path}: operator '{file.Operator}' needs a source '{p.Name}' (a 'hot {p.Name}:' or 'cold {p.Name}:' line).");
                }

                var create = typeof(MarbleRunner).GetMethod(nameof(CreateSource), BindingFlags.NonPublic | BindingFlags.Instance)!
                    .MakeGenericMethod(p.ParameterType.GetGenericArguments()[0]);
                var source = ((object Observable, Func<IList<Subscription>> Subscriptions))Unwrapped(() => create.Invoke(this, [scheduler, lines, file, errors]))!;
                sources[p.Name!] = source;
                arguments[i] = source.Observable;
            }
            else if (file.Arguments.FirstOrDefault(a => a.Name == p.Name) is { } argument)
            {
                arguments[i] = MarbleBinder.Argument(argument, p.ParameterType, _json);
                usedArguments.Add(argument.Name);
            }
            else if (p.HasDefaultValue)
            {
                arguments[i] = p.DefaultValue;
            }
            else
            {
                throw new MarbleAssertionException($"{file.Path}: operator '{file.Operator}' needs argument '{p.Name}' ({p.ParameterType.Name}) in its operator: header.");
            }
        }

        if (file.Arguments.FirstOrDefault(a => !usedArguments.Contains(a.Name)) is { } unknown)
        {
            throw new MarbleSyntaxException(
                $"operator '{file.Operator}' has no parameter '{unknown.Name}' (it has {string.Join(", ", parameters.Select(p => p.Name))})", unknown.Line, unknown.Column);
        }

        if (file.Streams.FirstOrDefault(s => s.Source is not null && !sources.ContainsKey(s.Source)) is { } orphan)
        {
            throw new MarbleSyntaxException($"source '{orphan.Source}' is not a parameter of operator '{file.Operator}'", orphan.Line, 1);
        }

        var outLine = file.Streams.Single(s => s.Kind == MarbleStreamKind.Out);
        var values = ValuesFor<TOut>(file, outLine);
        var expected = Marble.ToNotifications(outLine.Events, values, errors, outLine.Line);
        string subscription = file.Streams.FirstOrDefault(s => s.Kind == MarbleStreamKind.Sub)?.Diagram ?? "^";
        var recorded = scheduler.Run(() => (IObservable<TOut>)method.Invoke(null, arguments)!, subscription, file.Until);

        var failures = new StringBuilder();
        var actual = scheduler.Relative(recorded.Messages);
        try
        {
            Marble.AssertEqual(expected, actual, values, errors, file.Frame);
        }
        catch (MarbleAssertionException e)
        {
            failures.AppendLine(e.Message);
        }

        foreach (var group in file.Streams.Where(s => s.Kind == MarbleStreamKind.Subs).GroupBy(s => s.Source!))
        {
            try
            {
                scheduler.ExpectSubscriptions(sources[group.Key].Subscriptions(), group.Select(s => s.Diagram).ToArray());
            }
            catch (MarbleAssertionException e)
            {
                failures.Append($"source '{group.Key}': ").AppendLine(e.Message);
            }
        }

        if (failures.Length > 0)
        {
            throw new MarbleAssertionException($"{file.Path}: {file.Name}{Environment.NewLine}{failures}");
        }
    }

    private (object Observable, Func<IList<Subscription>> Subscriptions) CreateSource<T>(MarbleScheduler scheduler, List<MarbleStream> lines, MarbleFile file, Dictionary<string, Exception> errors)
    {
        var values = new Dictionary<char, T>();
        foreach (var line in lines)
        {
            foreach (var e in line.Events.Where(e => e.Kind == MarbleEventKind.Value && !values.ContainsKey(e.Key[0])))
            {
                values[e.Key[0]] = (T)MarbleBinder.Value(file.Values[e.Key[0]], typeof(T), _json)!;
            }
        }

        var observable = lines[0].Kind == MarbleStreamKind.Hot
            ? scheduler.Hot(lines[0].Diagram, values, errors)
            : scheduler.Cold(lines.Select(l => l.Diagram).ToList(), values, errors);
        return (observable, () => observable.Subscriptions);
    }

    /// <summary>Every value that reads as <typeparamref name="TOut"/>, so actual output renders with the file's letters; <c>out:</c>'s own letters must read.</summary>
    private Dictionary<char, TOut> ValuesFor<TOut>(MarbleFile file, MarbleStream outLine)
    {
        var used = outLine.Events.Where(e => e.Kind == MarbleEventKind.Value).Select(e => e.Key[0]).ToHashSet();
        var values = new Dictionary<char, TOut>();
        foreach (var value in file.Values.Values.OrderBy(v => used.Contains(v.Key) ? 0 : 1))
        {
            try
            {
                values[value.Key] = (TOut)MarbleBinder.Value(value, typeof(TOut), _json)!;
            }
            catch (MarbleSyntaxException) when (!used.Contains(value.Key))
            {
                // A value of another stream's type; it just cannot name an output.
            }
        }

        return values;
    }
}
