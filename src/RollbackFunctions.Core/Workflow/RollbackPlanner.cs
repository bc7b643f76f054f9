namespace RollbackFunctions.Workflow;

/// <summary>
/// Chooses and checks a rollback target from configuration, the release ledger and component state. It only reads:
/// the workflow's validation activity and the dry-run plan route evaluate exactly the same rules.
/// </summary>
public sealed class RollbackPlanner(IOptionsMonitor<RollbackOptions> options, ReleaseLedger ledger, ComponentStateStore components)
{
    public const string ComponentConfigured = nameof(ComponentConfigured);
    public const string NotFrozen = nameof(NotFrozen);
    public const string NoOtherActiveRollback = nameof(NoOtherActiveRollback);
    public const string CurrentReleaseKnown = nameof(CurrentReleaseKnown);
    public const string PreviousReleaseExists = nameof(PreviousReleaseExists);
    public const string TargetIdentified = nameof(TargetIdentified);
    public const string TargetNotRolledBack = nameof(TargetNotRolledBack);
    public const string TargetVerified = nameof(TargetVerified);
    public const string TargetDiffersFromCurrent = nameof(TargetDiffersFromCurrent);
    public const string ArtifactImmutable = nameof(ArtifactImmutable);
    public const string SchemaUnchanged = nameof(SchemaUnchanged);

    /// <summary>The dry run: what a rollback of <paramref name="component"/> would do if triggered now.</summary>
    public Task<RollbackPlan> PlanAsync(string component, string? targetVersion, CancellationToken cancellationToken) =>
        PlanAsync(component, targetVersion, rollbackId: null, cancellationToken);

    /// <param name="rollbackId">The rollback asking; its own claim on the component is not "another active rollback".</param>
    public async Task<RollbackPlan> PlanAsync(string component, string? targetVersion, string? rollbackId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(component);
        var config = options.CurrentValue.FindComponent(component);
        if (config is null || !ComponentNames.IsValidComponent(component))
        {
            return Unconfigured(component, config);
        }

        var stateTask = components.GetAsync(component, cancellationToken);
        var releasesTask = ledger.ListAsync(component, cancellationToken);
        return Evaluate(component, config, await stateTask.ConfigureAwait(false), await releasesTask.ConfigureAwait(false), targetVersion, rollbackId);
    }

    /// <summary>
    /// The same plan from a state and ledger already read (readiness reads every component's state in one query).
    /// <paramref name="config"/> is the component's configuration; the rules are those of the rollback and the dry run.
    /// </summary>
    public static RollbackPlan Evaluate(string component, ComponentOptions config, ComponentState state, IReadOnlyList<ReleaseRecord> releases, string? targetVersion, string? rollbackId)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(releases);
        if (!ComponentNames.IsValidComponent(component))
        {
            return Unconfigured(component, config);
        }

        List<PreconditionCheck> checks = [new(ComponentConfigured, true, $"'{component}' is a configured {config.Kind} deploying through provider '{config.Provider}'.")];

        checks.Add(state.Freeze is { } freeze
            ? new(NotFrozen, false, $"Component is frozen since {freeze.FrozenAt:O} ({freeze.Reason}); an operator must unfreeze it with an incident reference and analysis (section 11).")
            : new(NotFrozen, true, "Component is not frozen."));
        checks.Add(state.ActiveRollbackId is { } active && active != rollbackId
            ? new(NoOtherActiveRollback, false, $"Rollback {active} is active; a new trigger joins it.")
            : new(NoOtherActiveRollback, true, "No other rollback is active."));

        var currentVersion = state.CurrentVersion ?? (releases.Count > 0 ? releases[0].Version : null);
        var current = currentVersion is null ? null : releases.FirstOrDefault(r => r.Version == currentVersion);
        if (current is null)
        {
            checks.Add(new(CurrentReleaseKnown, false, currentVersion is null
                ? "No release of this component is recorded in the ledger."
                : $"The current version {currentVersion} is not in the release ledger, so its schema cannot be compared."));
            checks.Add(new(PreviousReleaseExists, false, "No previous released version exists (section 5)."));
            return Reject(component, currentVersion, null, checks, config);
        }

        checks.Add(new(CurrentReleaseKnown, true, $"Current version {current.Version} ({current.Status}, schema {current.SchemaVersion ?? "none"})."));

        var older = releases.Where(r => r.Version != current.Version && r.RecordedAt <= current.RecordedAt).ToList();
        ReleaseRecord? target;
        if (targetVersion is not null)
        {
            target = releases.FirstOrDefault(r => r.Version == targetVersion);
            checks.Add(older.Count > 0 || (target is not null && target.Version != current.Version)
                ? new(PreviousReleaseExists, true, $"{older.Count} release(s) were recorded before {current.Version}.")
                : new(PreviousReleaseExists, false, $"No release was recorded before the current version {current.Version} (section 5)."));
            checks.Add(target is null
                ? new(TargetIdentified, false, $"The requested target {targetVersion} is not in the release ledger: rollback to an unknown version is forbidden (section 5).")
                : new(TargetIdentified, true, $"Explicit target {target.Version}, requested by the trigger."));
        }
        else
        {
            checks.Add(older.Count > 0
                ? new(PreviousReleaseExists, true, $"{older.Count} release(s) were recorded before {current.Version}.")
                : new(PreviousReleaseExists, false, $"No release was recorded before the current version {current.Version} (section 5)."));
            // A RolledBack version is not Verified, so it is never chosen; the reasons name the ones passed over.
            target = older.FirstOrDefault(r => r.Status == ReleaseStatus.Verified);
            var skipped = (target is null ? older : older.TakeWhile(r => r != target)).Where(r => r.Status == ReleaseStatus.RolledBack).ToList();
            var skippedNote = skipped.Count == 0 ? "" : $" Skipped as known bad: {DescribeRolledBack(skipped)}.";
            checks.Add(target is null
                ? new(TargetIdentified, false, older.Count == 0
                    ? "There is no previous release to roll back to."
                    : $"None of the {older.Count} release(s) before {current.Version} is Verified: rollback to an unverified version is forbidden (section 5).{skippedNote}")
                : new(TargetIdentified, true, $"Newest Verified release before {current.Version}: {target.Version}.{skippedNote}"));
        }

        if (target is null)
        {
            return Reject(component, current.Version, null, checks, config);
        }

        checks.Add(target.Status == ReleaseStatus.RolledBack
            ? new(TargetNotRolledBack, false, $"{target.Version} was rolled back from by rollback {target.RolledBackBy ?? "(unknown)"}"
                + (target.RolledBackAt is { } at ? $" at {at:O}" : "") + ": a version rolled back from is known bad and never a target again (section 5).")
            : new(TargetNotRolledBack, true, $"{target.Version} was never rolled back from."));
        checks.Add(target.Status == ReleaseStatus.Verified
            ? new(TargetVerified, true, $"{target.Version} is Verified (known healthy).")
            : new(TargetVerified, false, $"{target.Version} is {target.Status}, not Verified: only a known-healthy version is a rollback target (section 5)."));
        checks.Add(target.Version != current.Version
            ? new(TargetDiffersFromCurrent, true, $"{target.Version} differs from the current {current.Version}.")
            : new(TargetDiffersFromCurrent, false, $"{target.Version} is already the current version: there is nothing to roll back to."));
        checks.Add(ArtifactReference.IsImmutable(target.Artifact)
            ? new(ArtifactImmutable, true, $"Artifact {target.Artifact} is pinned by digest.")
            : new(ArtifactImmutable, false, $"Artifact '{target.Artifact}' of {target.Version} is not pinned by a sha256/sha512 digest, so it is not immutable (section 2)."));
        checks.Add(string.Equals(target.SchemaVersion, current.SchemaVersion, StringComparison.Ordinal)
            ? new(SchemaUnchanged, true, $"Schema {target.SchemaVersion ?? "none"} is the current release's schema: no data migration is needed.")
            : new(SchemaUnchanged, false, $"{target.Version} expects schema {target.SchemaVersion ?? "none"} but the current {current.Version} runs schema {current.SchemaVersion ?? "none"}: that rollback would need a data migration, which section 9 forbids."));

        var pinned = new RollbackTarget(target.Version, target.Artifact, target.SchemaVersion, target.Status, target.RecordedAt);
        return checks.TrueForAll(c => c.Passed)
            ? new RollbackPlan(component, true, current.Version, pinned, checks, null, config.Provider,
                ToSpecs(config.SmokeProbes), ToSpecs(config.HealthChecks), config.RequireOperatorConfirmation)
            : Reject(component, current.Version, pinned, checks, config);
    }

    private static RollbackPlan Unconfigured(string component, ComponentOptions? config) =>
        Reject(component, null, null, [new(ComponentConfigured, false, $"Component '{component}' is not configured under Rollback:Components (section 4 scope).")], config);

    private static string DescribeRolledBack(IEnumerable<ReleaseRecord> releases) =>
        string.Join(", ", releases.Select(r => $"{r.Version} (rolled back by {r.RolledBackBy ?? "(unknown)"})"));

    private static RollbackPlan Reject(string component, string? current, RollbackTarget? target, List<PreconditionCheck> checks, ComponentOptions? config) =>
        new(component, false, current, target, checks, checks.First(c => !c.Passed).Reason, config?.Provider,
            ToSpecs(config?.SmokeProbes), ToSpecs(config?.HealthChecks), config?.RequireOperatorConfirmation ?? true);

    /// <summary>Probes from configuration as the plan carries them (a drill's probes too).</summary>
    public static List<ProbeSpec> ToSpecs(List<ProbeOptions>? probes) =>
        probes is null ? [] : [.. probes.Select(p => new ProbeSpec(
            string.IsNullOrWhiteSpace(p.Name) ? p.Url?.AbsolutePath ?? "probe" : p.Name,
            p.Url?.AbsoluteUri ?? "",
            p.ExpectedStatus,
            p.BodyContains,
            p.Timeout,
            Math.Max(1, p.ConsecutivePasses),
            p.Interval,
            Math.Max(p.MaxAttempts, Math.Max(1, p.ConsecutivePasses))))];
}
