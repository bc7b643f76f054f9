using System.Text.Json.Serialization;

namespace RollbackFunctions.Intake;

/// <summary>How every intake response is written: camelCase, enums by name, no nulls left out (a missing field and a null one mean the same to readers).</summary>
public static class IntakeJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
    };

    /// <summary>A JSON answer with an optional <c>Location</c>, the same in the Functions app and the dev host.</summary>
    public static IResult Result<T>(T value, int statusCode = StatusCodes.Status200OK, string? location = null) =>
        new JsonResult<T>(value, statusCode, location);

    private sealed class JsonResult<T>(T value, int statusCode, string? location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            httpContext.Response.StatusCode = statusCode;
            if (location is not null)
            {
                httpContext.Response.Headers.Location = location;
            }

            return httpContext.Response.WriteAsJsonAsync(value, Options, "application/json; charset=utf-8", httpContext.RequestAborted);
        }
    }
}
