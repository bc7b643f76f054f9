namespace RollbackFunctions.Deployment.Http;

/// <summary>The names under which a CI/CD run receives the rollback's values; an empty name leaves that value out.</summary>
public abstract class RunInputNames(string rollbackId)
{
    public string Component { get; set; } = "component";

    public string Version { get; set; } = "version";

    public string Artifact { get; set; } = "artifact";

    /// <summary>Required: the run's name must carry it so a replayed start finds the run.</summary>
    public string RollbackId { get; set; } = rollbackId;

    public string Reason { get; set; } = "reason";

    /// <summary>The request's values under these names.</summary>
    public IReadOnlyDictionary<string, string> ValuesFor(DeploymentRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in new[]
        {
            (Component, request.Component), (Version, request.Version), (Artifact, request.Artifact),
            (RollbackId, request.IdempotencyKey), (Reason, request.Reason),
        })
        {
            if (!string.IsNullOrEmpty(name))
            {
                values[name] = value;
            }
        }

        return values;
    }
}
