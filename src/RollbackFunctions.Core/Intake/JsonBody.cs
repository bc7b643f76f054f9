using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace RollbackFunctions.Intake;

/// <summary>A request body read whole (at most <see cref="IntakeLimits.MaxBodyBytes"/>) and parsed as JSON.</summary>
public sealed class JsonBody : IDisposable
{
    private JsonBody(JsonDocument document, BinaryData raw, string mediaType)
    {
        Document = document;
        Raw = raw;
        MediaType = mediaType;
    }

    public JsonDocument Document { get; }

    public JsonElement Root => Document.RootElement;

    public BinaryData Raw { get; }

    /// <summary>The media type as sent, lower case, without parameters.</summary>
    public string MediaType { get; }

    public static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = IntakeLimits.MaxJsonDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        AllowDuplicateProperties = false,
    };

    /// <summary>
    /// Checks the content type, reads at most one byte more than the limit whatever Content-Length claims, and parses.
    /// Exactly one of the two results is set.
    /// </summary>
    /// <param name="acceptsStructuredJson">Also accept <c>application/*+json</c> (CloudEvents' media types).</param>
    public static async Task<(JsonBody? Body, IResult? Problem)> ReadAsync(HttpRequest request, bool acceptsStructuredJson, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var expected = acceptsStructuredJson ? "application/json (or application/cloudevents+json, application/cloudevents-batch+json)" : "application/json";
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) || contentType.MediaType.Value is not { } mediaType)
        {
            return (null, Problems.UnsupportedMediaType(request.ContentType, expected));
        }

        mediaType = mediaType.ToLowerInvariant();
        var isJson = mediaType == "application/json" || (acceptsStructuredJson && mediaType.StartsWith("application/", StringComparison.Ordinal) && mediaType.EndsWith("+json", StringComparison.Ordinal));
        var charset = contentType.Charset.Value;
        if (!isJson || (charset is not null && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)))
        {
            return (null, Problems.UnsupportedMediaType(request.ContentType, expected + " in UTF-8"));
        }

        if (request.ContentLength > IntakeLimits.MaxBodyBytes)
        {
            return (null, Problems.PayloadTooLarge());
        }

        var bytes = await ReadLimitedAsync(request.Body, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            return (null, Problems.PayloadTooLarge());
        }

        if (bytes.Length == 0 || bytes.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            return (null, Problems.BadRequest("The request body is empty: send a JSON document."));
        }

        try
        {
            var document = JsonDocument.Parse(bytes, DocumentOptions);
            return (new JsonBody(document, BinaryData.FromBytes(bytes), mediaType), null);
        }
        catch (JsonException ex)
        {
            return (null, Problems.BadRequest("The request body is not valid JSON: fix the syntax and send it again.", ex.Message));
        }
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

    public void Dispose() => Document.Dispose();
}
