using System.Text.Json;
using Microsoft.DurableTask.Client;
using RollbackFunctions.Domain;

namespace RollbackFunctions.Intake;

/// <summary>Reads the phase the orchestrator publishes as its custom status (<c>{"phase": ...}</c>), which runs ahead of the audit rows.</summary>
public static class OrchestrationPhase
{
    public static RollbackPhase? Read(OrchestrationMetadata? instance)
    {
        if (instance?.SerializedCustomStatus is not { Length: > 0 } json)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!property.Name.Equals("phase", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                return property.Value.ValueKind switch
                {
                    JsonValueKind.String => Enum.TryParse<RollbackPhase>(property.Value.GetString(), ignoreCase: false, out var named) ? named : null,
                    JsonValueKind.Number when property.Value.TryGetInt32(out var number) && Enum.IsDefined((RollbackPhase)number) => (RollbackPhase)number,
                    _ => null,
                };
            }
        }
        catch (JsonException)
        {
            // A custom status of another shape says nothing about the phase.
        }

        return null;
    }

    /// <summary>The pinned target version and deployment id the orchestrator publishes with its phase, ahead of the audit.</summary>
    public static (string? TargetVersion, string? DeploymentId) ReadTarget(OrchestrationMetadata? instance)
    {
        if (instance?.SerializedCustomStatus is not { Length: > 0 } json)
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            string? target = null, deployment = null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    continue;
                }

                if (property.Name.Equals("targetVersion", StringComparison.OrdinalIgnoreCase))
                {
                    target = property.Value.GetString();
                }
                else if (property.Name.Equals("deploymentId", StringComparison.OrdinalIgnoreCase))
                {
                    deployment = property.Value.GetString();
                }
            }

            return (target, deployment);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
