using System.Globalization;
using System.Text.Json;

namespace RollbackFunctions.Cli.Output;

/// <summary>Tolerant reads of the API's JSON: a missing or null field is null, so an added field never breaks the CLI.</summary>
public static class JsonFields
{
    public static JsonElement? Field(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static string? Text(this JsonElement element, string name) => element.Field(name) switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { } other => other.GetRawText(),
        null => null,
    };

    public static double? Number(this JsonElement element, string name) =>
        element.Field(name) is { ValueKind: JsonValueKind.Number } n ? n.GetDouble() : null;

    public static bool? Flag(this JsonElement element, string name) => element.Field(name) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => null,
    };

    public static IEnumerable<JsonElement> Items(this JsonElement element, string name) =>
        element.Field(name) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    /// <summary>A timestamp as the operator reads it: UTC, to the millisecond.</summary>
    public static string? Time(this JsonElement element, string name) =>
        element.Text(name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
            : element.Text(name);

    public static string Seconds(double? seconds) =>
        seconds is { } s ? s.ToString("0.0", CultureInfo.InvariantCulture) + " s" : "-";
}
