namespace RollbackFunctions.Intake;

/// <summary>A field that takes any JSON value (API.md: <c>details</c>): a string stays a string, anything else is kept as JSON text.</summary>
public static class JsonText
{
    public static string? Of(JsonElement? value) => value switch
    {
        null => null,
        { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        { ValueKind: JsonValueKind.String } text => text.GetString(),
        { } other => other.GetRawText(),
    };
}
