namespace RollbackFunctions.Intake;

/// <summary>
/// The "RollbackApi" section, read by the endpoint mapping the dev host uses. In the Functions app the host checks
/// function keys itself and this section is not read.
/// </summary>
public sealed class RollbackApiOptions
{
    public const string SectionName = "RollbackApi";

    /// <summary>Accepted keys (<c>x-functions-key</c> header or <c>code</c> query parameter). None configured: every request is refused.</summary>
    public List<string> Keys { get; set; } = [];
}
