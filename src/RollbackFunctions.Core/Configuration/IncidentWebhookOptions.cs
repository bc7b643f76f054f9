namespace RollbackFunctions.Configuration;

public sealed class IncidentWebhookOptions
{
    /// <summary>Where escalations are posted (section 11). Without it an escalation is recorded as undeliverable.</summary>
    public Uri? Url { get; set; }

    public int MaxAttempts { get; set; } = 5;

    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Optional header sent with each delivery, e.g. a routing key (a Key Vault reference in Azure).</summary>
    public string? HeaderName { get; set; }

    public string? HeaderValue { get; set; }
}
