using System.Text.Json;

namespace RollbackFunctions.Cli.Api;

/// <summary>One answer of the API: its status, its body exactly as returned, and that body parsed when it is JSON.</summary>
public sealed record ApiAnswer(int Status, string Text, JsonElement? Json)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>The parsed body of a success; an answer that is not JSON is the CLI's surprise, not the operator's.</summary>
    public JsonElement Body => Json ?? throw new InvalidOperationException($"The API answered {Status} with a body that is not JSON: {Text}");

    public static ApiAnswer From(int status, string text)
    {
        JsonElement? json = null;
        if (text.Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                json = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                // Kept as text: a proxy's HTML error page is still shown to the operator.
            }
        }

        return new ApiAnswer(status, text, json);
    }
}
