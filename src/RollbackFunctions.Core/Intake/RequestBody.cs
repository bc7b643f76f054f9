using System.Buffers;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.Net.Http.Headers;

namespace RollbackFunctions.Intake;

/// <summary>A request body read and validated: the typed value, or the problem details to answer instead.</summary>
public readonly record struct BodyRead<T>(T Value, IResult? Problem);

/// <summary>
/// The one way every route reads its body: the content type, at most <see cref="IntakeLimits.MaxBodyBytes"/> bytes
/// whatever Content-Length claims, UTF-8, then System.Text.Json through <see cref="IntakeJsonContext"/> (unknown
/// members, duplicate properties and missing required members refused, depth limited) and the record's validator.
/// Every refusal is RFC 9457 problem details naming the offending fields in <c>errors</c>.
/// </summary>
public static partial class RequestBody
{
    /// <param name="invalidTitle">The title when the body is JSON but not a valid request of this kind.</param>
    /// <param name="acceptsStructuredJson">Also accept <c>application/*+json</c> (CloudEvents' media types).</param>
    public static async Task<BodyRead<T>> ReadAsync<T>(
        HttpRequest request, JsonTypeInfo<T> type, IValidator<T>? validator, string invalidTitle, CancellationToken cancellationToken, bool acceptsStructuredJson = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(type);
        if (CheckContentType(request.ContentType, acceptsStructuredJson) is { } unsupported)
        {
            return new(default!, unsupported);
        }

        var (bytes, tooLarge) = await ReadRawAsync(request, cancellationToken).ConfigureAwait(false);
        if (tooLarge is not null)
        {
            return new(default!, tooLarge);
        }

        if (bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            return new(default!, Problems.BadRequest("The request body is empty: send a JSON document."));
        }

        // The serializer checks UTF-8 only in what it reads into members; a skipped member could hide bad bytes.
        if (!Utf8.IsValid(bytes))
        {
            return new(default!, Problems.BadRequest("The request body is not valid UTF-8: send the JSON encoded as UTF-8."));
        }

        var failures = new List<ValidationFailure>();
        if (!TryRead(bytes, type, validator, "", failures, out var value, out var syntaxError))
        {
            return new(default!, syntaxError is not null
                ? Problems.BadRequest("The request body is not valid JSON: fix the syntax and send it again.", syntaxError)
                : Problems.Validation(invalidTitle, failures));
        }

        return new(value, null);
    }

    /// <summary>
    /// The body's bytes exactly as sent, at most <see cref="IntakeLimits.MaxBodyBytes"/> whatever Content-Length claims
    /// (a signed webhook's signature covers these bytes), or the 413 to answer.
    /// </summary>
    public static async Task<BodyRead<byte[]>> ReadRawAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > IntakeLimits.MaxBodyBytes)
        {
            return new([], Problems.PayloadTooLarge());
        }

        var bytes = await ReadLimitedAsync(request.Body, cancellationToken).ConfigureAwait(false);
        return bytes is null ? new([], Problems.PayloadTooLarge()) : new(bytes, null);
    }

    /// <summary>
    /// Reads one part of a body already read (an event's <c>data</c>) the same way; failures are added under
    /// <paramref name="path"/>. False when the part is not a valid <typeparamref name="T"/>.
    /// </summary>
    public static bool TryRead<T>(JsonElement element, JsonTypeInfo<T> type, IValidator<T>? validator, string path, List<ValidationFailure> failures, out T value)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(failures);
        try
        {
            value = element.Deserialize(type)!;
        }
        catch (JsonException ex)
        {
            AddRefusal(failures, FromJsonException(ex, type, path), MissingMembers(element, type, path));
            value = default!;
            return false;
        }

        return Validate(value, validator, path, failures);
    }

    private static bool TryRead<T>(byte[] bytes, JsonTypeInfo<T> type, IValidator<T>? validator, string path, List<ValidationFailure> failures, out T value, out string? syntaxError)
    {
        syntaxError = null;
        try
        {
            value = JsonSerializer.Deserialize(bytes, type)!;
        }
        catch (JsonException ex) when (ex.GetType() != typeof(JsonException))
        {
            // The reader's own exception (a subclass): malformed JSON, too deep, bad UTF-8 or escapes.
            syntaxError = ex.Message;
            value = default!;
            return false;
        }
        catch (JsonException ex)
        {
            value = default!;
            // The serializer reports a document cut short as a refusal of the member it was reading: it is a syntax error.
            if (ParseOrNull(bytes) is not { } document)
            {
                syntaxError = ex.Message;
                return false;
            }

            using (document)
            {
                AddRefusal(failures, FromJsonException(ex, type, path), MissingMembers(document.RootElement, type, path));
            }

            return false;
        }

        return Validate(value, validator, path, failures);
    }

    private static JsonDocument? ParseOrNull(byte[] bytes)
    {
        try
        {
            return JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = IntakeLimits.MaxJsonDepth });
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The serializer's refusal and every required member the object lacks, each field once.</summary>
    private static void AddRefusal(List<ValidationFailure> failures, ValidationFailure refusal, IEnumerable<ValidationFailure> missing)
    {
        failures.Add(refusal);
        failures.AddRange(missing.Where(m => m.PropertyName != refusal.PropertyName));
    }

    /// <summary>
    /// Every required member the object does not have. The serializer stops at its first refusal and names only the
    /// first missing members, so a sender fixing one field at a time would need a round trip for each.
    /// </summary>
    private static IEnumerable<ValidationFailure> MissingMembers(JsonElement element, JsonTypeInfo type, string path)
    {
        if (element.ValueKind != JsonValueKind.Object || type.Kind != JsonTypeInfoKind.Object)
        {
            return [];
        }

        var present = element.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return type.Properties
            .Where(member => (member.IsRequired || member.AssociatedParameter is { HasDefaultValue: false }) && !present.Contains(member.Name))
            .Select(member => new ValidationFailure(Join(path, member.Name), "is required."));
    }

    private static bool Validate<T>(T value, IValidator<T>? validator, string path, List<ValidationFailure> failures)
    {
        if (value is null)
        {
            failures.Add(new ValidationFailure(PathOrBody(path), "must be a JSON object, not null."));
            return false;
        }

        if (validator is null)
        {
            return true;
        }

        var result = validator.Validate(value);
        failures.AddRange(result.Errors.Select(f => new ValidationFailure(Join(path, JsonName(f.PropertyName)), f.ErrorMessage)));
        return result.IsValid;
    }

    /// <summary>A serializer refusal as a field error: which field (from the exception's JSON path) and why.</summary>
    private static ValidationFailure FromJsonException(JsonException ex, JsonTypeInfo root, string prefix)
    {
        var jsonPath = ex.Path is { Length: > 1 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : ex.Path is { Length: > 1 } q ? q[1..] : "";
        var field = Join(prefix, jsonPath);
        if (ex.Message.StartsWith("Duplicate property", StringComparison.Ordinal))
        {
            return new ValidationFailure(PathOrBody(field), "appears more than once.");
        }

        if (ex.Message.Contains("missing required properties", StringComparison.Ordinal))
        {
            var missing = QuotedName().Matches(ex.Message[ex.Message.IndexOf("including:", StringComparison.Ordinal)..]).Select(m => m.Groups[1].Value).FirstOrDefault();
            return new ValidationFailure(missing is null ? PathOrBody(field) : Join(field, missing), "is required.");
        }

        var (member, parentKnown) = Walk(root, jsonPath);
        if (member is null)
        {
            return new ValidationFailure(PathOrBody(field), parentKnown ? "is not a field of this request: see API.md for the fields it takes." : "is invalid.");
        }

        if (ex.Message.Contains("null values", StringComparison.Ordinal))
        {
            return new ValidationFailure(PathOrBody(field), "must not be null.");
        }

        return new ValidationFailure(PathOrBody(field), Expected(member));
    }

    /// <summary>The contract of the member at a JSON path (<c>data.essentials.alertTargetIDs[0]</c>), if the type has one there.</summary>
    private static (JsonTypeInfo? Member, bool ParentKnown) Walk(JsonTypeInfo root, string jsonPath)
    {
        JsonTypeInfo? current = root;
        foreach (Match segment in PathSegment().Matches(jsonPath))
        {
            if (current is null)
            {
                return (null, false);
            }

            var parent = current;
            if (segment.Groups["index"].Success)
            {
                current = current.ElementType is { } element ? current.Options.GetTypeInfo(element) : null;
            }
            else
            {
                var property = current.Properties.FirstOrDefault(m => m.Name == segment.Groups["name"].Value);
                current = property is null ? null : current.Options.GetTypeInfo(property.PropertyType);
            }

            if (current is null)
            {
                return (null, parent.Kind == JsonTypeInfoKind.Object);
            }
        }

        return (current, true);
    }

    private static string Expected(JsonTypeInfo member)
    {
        var type = Nullable.GetUnderlyingType(member.Type) ?? member.Type;
        return type switch
        {
            _ when type == typeof(string) => "must be a string.",
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "must be an ISO 8601 timestamp.",
            _ when type == typeof(bool) => "must be true or false.",
            _ when type == typeof(JsonElement) => "must be a JSON value.",
            _ when type.IsPrimitive || type == typeof(decimal) => "must be a number.",
            _ when member.Kind == JsonTypeInfoKind.Enumerable => member.ElementType == typeof(string) ? "must be an array of strings." : "must be an array.",
            _ => "must be an object.",
        };
    }

    /// <summary>A validator's property chain (<c>Data.Essentials.AlertTargetIDs[0]</c>) in the JSON names of the body.</summary>
    private static string JsonName(string propertyChain) =>
        string.Join('.', propertyChain.Split('.', StringSplitOptions.RemoveEmptyEntries).Select(JsonNamingPolicy.CamelCase.ConvertName));

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : name.Length == 0 ? prefix : prefix + "." + name;

    private static string PathOrBody(string path) => path.Length == 0 ? "body" : path;

    private static IResult? CheckContentType(string? received, bool acceptsStructuredJson)
    {
        var expected = acceptsStructuredJson ? "application/json (or application/cloudevents+json, application/cloudevents-batch+json)" : "application/json";
        if (!MediaTypeHeaderValue.TryParse(received, out var contentType) || contentType.MediaType.Value is not { } mediaType)
        {
            return Problems.UnsupportedMediaType(received, expected);
        }

        mediaType = mediaType.ToLowerInvariant();
        var isJson = mediaType == "application/json" || (acceptsStructuredJson && mediaType.StartsWith("application/", StringComparison.Ordinal) && mediaType.EndsWith("+json", StringComparison.Ordinal));
        var charset = contentType.Charset.Value;
        return !isJson || (charset is not null && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
            ? Problems.UnsupportedMediaType(received, expected + " in UTF-8")
            : null;
    }

    /// <summary>The body, or null when it is longer than the limit (reading stops one byte past it).</summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var collected = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (true)
            {
                var room = IntakeLimits.MaxBodyBytes + 1 - (int)collected.Length;
                var read = await body.ReadAsync(chunk.AsMemory(0, Math.Min(chunk.Length, room)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return collected.ToArray();
                }

                collected.Write(chunk, 0, read);
                if (collected.Length > IntakeLimits.MaxBodyBytes)
                {
                    return null;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    [GeneratedRegex("'([^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedName();

    [GeneratedRegex(@"(?<name>[^.\[\]]+)|\[(?<index>\d+)\]", RegexOptions.CultureInvariant)]
    private static partial Regex PathSegment();
}
