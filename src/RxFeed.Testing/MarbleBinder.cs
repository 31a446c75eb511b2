using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RxFeed.Testing;

/// <summary>Turns a file's text into CLR things: argument values, element values, exception types.</summary>
internal static class MarbleBinder
{
    private static readonly ConcurrentDictionary<string, Type?> ExceptionTypes = new();

    public static JsonSerializerOptions DefaultJson { get; } = new(JsonSerializerDefaults.General)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static object? Argument(MarbleArgument argument, Type type, JsonSerializerOptions json)
    {
        try
        {
            return Convert(argument.Text, type, json);
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException or OverflowException or NotSupportedException)
        {
            throw new MarbleSyntaxException($"argument '{argument.Name}': cannot read '{argument.Text}' as {type.Name}: {e.Message}", argument.Line, argument.Column, e);
        }
    }

    /// <summary>A string element takes a JSON string, or any other JSON value as its raw text (so frames read as JSON, not escaped JSON).</summary>
    public static object? Value(MarbleValue value, Type type, JsonSerializerOptions json)
    {
        try
        {
            if (type == typeof(string) && !value.Json.StartsWith('"'))
            {
                return value.Json;
            }

            return JsonSerializer.Deserialize(value.Json, type, json);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new MarbleSyntaxException($"value '{value.Key}' is not a {type.Name}: {e.Message}", value.Line, value.Column, e);
        }
    }

    public static Dictionary<string, Exception> Errors(IReadOnlyList<MarbleError> errors)
    {
        var result = new Dictionary<string, Exception>();
        foreach (var error in errors)
        {
            var type = ExceptionTypes.GetOrAdd(error.TypeName, FindExceptionType)
                ?? throw new MarbleSyntaxException($"no loaded exception type is named '{error.TypeName}'", error.Line, error.Column);
            result[error.Key] = Create(type, $"marble error {error.Key}");
        }

        return result;
    }

    private static Exception Create(Type type, string message)
    {
        if (type.GetConstructor([typeof(string)]) is { } withMessage)
        {
            return (Exception)withMessage.Invoke([message]);
        }

        if (type.GetConstructor(Type.EmptyTypes) is { } plain)
        {
            return (Exception)plain.Invoke(null);
        }

        // Only its type matters when comparing; an instance without a usable constructor still carries it.
        return (Exception)RuntimeHelpers.GetUninitializedObject(type);
    }

    private static Type? FindExceptionType(string name)
    {
        var matches = AppDomain.CurrentDomain.GetAssemblies()
            .SelectMany(LoadableTypes)
            .Where(t => typeof(Exception).IsAssignableFrom(t) && !t.IsAbstract && (t.FullName == name || t.Name == name))
            .Distinct()
            .ToList();
        return matches.Count switch
        {
            0 => null,
            1 => matches[0],
            _ => matches.FirstOrDefault(t => t.FullName == name)
                ?? throw new MarbleSyntaxException($"'{name}' is ambiguous: {string.Join(", ", matches.Select(t => t.FullName))}; write the full name"),
        };
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }

    private static object? Convert(string text, Type type, JsonSerializerOptions json)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(TimeSpan))
        {
            return MarbleDuration.Parse(text);
        }

        if (underlying.IsEnum)
        {
            return Enum.Parse(underlying, text.Trim('"'), ignoreCase: false);
        }

        if (underlying == typeof(string))
        {
            return text.StartsWith('"') ? JsonSerializer.Deserialize<string>(text) : text;
        }

        var element = underlying.IsArray ? underlying.GetElementType()
            : underlying.IsGenericType && underlying.GetGenericTypeDefinition() is var d && (d == typeof(IReadOnlyList<>) || d == typeof(IEnumerable<>) || d == typeof(IList<>))
                ? underlying.GetGenericArguments()[0]
                : null;
        if (element is not null)
        {
            string inner = text.Trim();
            if (!inner.StartsWith('[') || !inner.EndsWith(']'))
            {
                throw new FormatException("a list is written [x, y, ...]");
            }

            var items = inner[1..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var array = Array.CreateInstance(element, items.Length);
            for (int i = 0; i < items.Length; i++)
            {
                array.SetValue(Convert(items[i], element, json), i);
            }

            return array;
        }

        if (underlying == typeof(int) || underlying == typeof(long))
        {
            long number = long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            return underlying == typeof(int) ? checked((int)number) : (object)number;
        }

        if (underlying == typeof(double) || underlying == typeof(decimal))
        {
            decimal number = decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            return underlying == typeof(double) ? (double)number : (object)number;
        }

        return JsonSerializer.Deserialize(text, type, json);
    }
}
