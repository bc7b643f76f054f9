using System.Text.Json;
using RollbackFunctions.Domain;

namespace RollbackFunctions.Intake;

/// <summary>
/// Reads fields of a JSON object strictly: a field of the wrong JSON type, an unknown enum name, an over-long string
/// or one with characters its rule forbids is an error named by its path, never a silent default.
/// </summary>
public static class JsonFields
{
    public static string Path(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    /// <summary>The named member when it is present and not null.</summary>
    public static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    public static string? Text(JsonElement obj, string name, string prefix, TextRule rule, bool required, FieldErrors errors)
    {
        var path = Path(prefix, name);
        if (!TryGet(obj, name, out var value))
        {
            if (required)
            {
                errors.Add(path, "is required.");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(path, $"must be a string, not {Describe(value.ValueKind)}.");
            return null;
        }

        var text = value.GetString()!;
        if (Check(text, rule) is { } problem)
        {
            errors.Add(path, problem);
            return null;
        }

        return text;
    }

    /// <summary>A string naming exactly one member of <typeparamref name="TEnum"/> (case-sensitive; numbers are refused).</summary>
    public static TEnum? Enum<TEnum>(JsonElement obj, string name, string prefix, bool required, FieldErrors errors)
        where TEnum : struct, Enum
    {
        var path = Path(prefix, name);
        if (!TryGet(obj, name, out var value))
        {
            if (required)
            {
                errors.Add(path, $"is required: one of {string.Join(", ", System.Enum.GetNames<TEnum>())}.");
            }

            return null;
        }

        if (value.ValueKind == JsonValueKind.String && ParseName<TEnum>(value.GetString()) is { } parsed)
        {
            return parsed;
        }

        errors.Add(path, $"must be one of {string.Join(", ", System.Enum.GetNames<TEnum>())}.");
        return null;
    }

    public static TEnum? ParseName<TEnum>(string? text)
        where TEnum : struct, Enum =>
        text is not null && System.Enum.GetNames<TEnum>().Contains(text, StringComparer.Ordinal) ? System.Enum.Parse<TEnum>(text) : null;

    public static JsonElement? ObjectField(JsonElement obj, string name, string prefix, bool required, FieldErrors errors)
    {
        var path = Path(prefix, name);
        if (!TryGet(obj, name, out var value))
        {
            if (required)
            {
                errors.Add(path, "is required.");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, $"must be an object, not {Describe(value.ValueKind)}.");
            return null;
        }

        return value;
    }

    public static DateTimeOffset? Timestamp(JsonElement obj, string name, string prefix, FieldErrors errors)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var at))
        {
            return at;
        }

        errors.Add(Path(prefix, name), "must be an ISO 8601 timestamp.");
        return null;
    }

    /// <summary>Null when the text obeys <paramref name="rule"/>, else the reason.</summary>
    public static string? Check(string text, TextRule rule)
    {
        switch (rule)
        {
            case TextRule.ComponentName:
                return ComponentNames.IsValidComponent(text)
                    ? null
                    : $"must be 1-{ComponentNames.MaxLength} letters, digits, '.', '_' or '-', starting with a letter or digit (no spaces, '/', '\\', '#', '?' or control characters).";
            case TextRule.Version:
                return ComponentNames.IsValidVersion(text)
                    ? null
                    : $"must be 1-{ComponentNames.MaxLength} letters, digits, '.', '_' or '-', starting with a letter or digit (no spaces, '/', '\\', '#', '?' or control characters).";
            case TextRule.ShortText:
                return Blank(text) ?? TooLong(text, IntakeLimits.MaxShortText) ?? (text.Any(char.IsControl) ? "must not contain control characters." : null);
            case TextRule.Reference:
                return Blank(text) ?? TooLong(text, IntakeLimits.MaxReference)
                    ?? (text.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)) ? "must not contain whitespace or control characters." : null);
            case TextRule.LongText:
                return Blank(text) ?? TooLong(text, IntakeLimits.MaxLongText)
                    ?? (text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')) ? "must not contain control characters other than line breaks and tabs." : null);
            default:
                throw new ArgumentOutOfRangeException(nameof(rule), rule, null);
        }
    }

    private static string? Blank(string text) => string.IsNullOrWhiteSpace(text) ? "must not be empty." : null;

    private static string? TooLong(string text, int max) => text.Length > max ? $"must be at most {max} characters." : null;

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
