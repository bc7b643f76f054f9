namespace RollbackFunctions.Security;

/// <summary>
/// The "RollbackApi" section: who may call the API. Both hosts read it: the dev host for keys and Entra ID tokens, the
/// Functions app for keys (people and Entra ID callers come through App Service authentication there).
/// </summary>
public sealed class RollbackApiOptions
{
    public const string SectionName = "RollbackApi";

    /// <summary>
    /// Accepted keys (<c>x-functions-key</c> header or <c>code</c> query parameter), read by <see cref="ApiKeyEntries"/>:
    /// <c>Keys:{name}:Key</c> with <c>Keys:{name}:Roles</c>, or a bare <c>Keys:{name}</c> string, which holds every role
    /// and names no person (local use). None configured and no Entra ID: every request is refused.
    /// </summary>
    public IReadOnlyList<ApiKeyEntry> Keys { get; set; } = [];

    /// <summary>Entra ID bearer tokens (dev host); null when not configured.</summary>
    public EntraTokenOptions? Entra { get; set; }

    /// <summary>How long a request may take before it is answered <c>503</c> (<see cref="Intake.IntakeDeadline"/>): 1 to 60 s.</summary>
    public TimeSpan AnswerWithin { get; set; } = DefaultAnswerWithin;

    /// <summary>Inside the action group's 10 s, with room for the network on both sides.</summary>
    public static readonly TimeSpan DefaultAnswerWithin = TimeSpan.FromSeconds(8);
}

/// <summary>One configured key: its holder's name (the configuration name), the secret and the roles it carries.</summary>
/// <param name="Bare">Configured as a bare string: every role, and no holder, so an operator action is recorded as the key's fingerprint.</param>
public sealed record ApiKeyEntry(string Name, string Key, IReadOnlyList<string> Roles, bool Bare = false)
{
    /// <summary>The secret stays out of logs and exception messages.</summary>
    public override string ToString() => $"{Name} ({string.Join(", ", Roles)})";
}

/// <summary><c>RollbackApi:Entra</c>: the authority and audience bearer tokens are validated against.</summary>
public sealed class EntraTokenOptions
{
    /// <summary>The token issuer's authority, e.g. <c>https://login.microsoftonline.com/{tenant}/v2.0</c>; its OpenID metadata names the issuer and signing keys.</summary>
    public Uri? Authority { get; set; }

    /// <summary>The audience the tokens are issued for: the API's application ID URI or client id.</summary>
    public string? Audience { get; set; }

    /// <summary>Plain-http metadata is accepted for a loopback authority only (tests, a local issuer).</summary>
    public bool IsLoopback => Authority is { IsLoopback: true };
}
