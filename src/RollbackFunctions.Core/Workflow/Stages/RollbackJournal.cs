using System.Globalization;
using Microsoft.DurableTask;
using RollbackFunctions.Domain;

namespace RollbackFunctions.Workflow.Stages;

/// <summary>
/// The rollback's audit as the workflow builds it (section 10): the summary, the timeline steps numbered in order,
/// and the live custom status. Stages note what happened; the next activity is handed what was noted since the
/// previous one and writes it before anything it changes (<see cref="Storage.RollbackAuditStore.RecordWithAsync{T}"/>).
/// Rebuilt identically on every replay.
/// </summary>
internal sealed class RollbackJournal
{
    private readonly TaskOrchestrationContext _context;
    private readonly List<RollbackStep> _steps = [];
    private int _handedSteps;
    private RollbackRecord? _handedSummary;

    public RollbackJournal(TaskOrchestrationContext context, RollbackRequest request)
    {
        _context = context;
        Request = request;
        Policy = request.Policy ?? RollbackPolicy.Default;
        Summary = new RollbackRecord(
            request.RollbackId, request.Component, request.Trigger, request.TargetVersion,
            FromVersion: null, TargetVersion: null, TargetArtifact: null, RollbackPhase.Received,
            StartedAt: Now, Deadline: request.Deadline, BudgetSeconds: Policy.Budget.TotalSeconds);
    }

    public RollbackRequest Request { get; }

    public RollbackPolicy Policy { get; }

    public RollbackRecord Summary { get; private set; }

    public DateTimeOffset Now => new(DateTime.SpecifyKind(_context.CurrentUtcDateTime, DateTimeKind.Utc));

    public void Update(Func<RollbackRecord, RollbackRecord> change) => Summary = change(Summary);

    /// <summary>The phase in the summary and, at once, in the custom status that live readers see.</summary>
    public void EnterPhase(RollbackPhase phase)
    {
        Summary = Summary with { Phase = phase };
        _context.SetCustomStatus(new RollbackCustomStatus(phase, Summary.TargetVersion, Summary.DeploymentId));
    }

    public void Note(string name, StepStatus status, string? detail) =>
        _steps.Add(new RollbackStep(Request.RollbackId, _steps.Count + 1, name, Summary.Phase, status, Now, detail));

    /// <summary>What was noted since the last hand-over, for the next activity to write; null when nothing changed.</summary>
    public RecordAuditInput? Hand() => HandFrom(_handedSteps);

    /// <summary>
    /// Everything noted so far: an end hands the whole journal, so rows a failed activity could not write are written
    /// then (the keys are deterministic, so rows already written are rewritten unchanged).
    /// </summary>
    public RecordAuditInput HandAll()
    {
        Rewind();
        return Hand()!;
    }

    /// <summary>An activity handed the audit failed: the next hand-over carries everything again.</summary>
    public void Rewind()
    {
        _handedSummary = null;
        _handedSteps = 0;
    }

    public static string Format(TimeSpan span) => span.ToString("c", CultureInfo.InvariantCulture);

    private RecordAuditInput? HandFrom(int firstStep)
    {
        var summaryChanged = Summary != _handedSummary;
        if (!summaryChanged && firstStep == _steps.Count)
        {
            return null;
        }

        var audit = new RecordAuditInput(summaryChanged ? Summary : null, _steps[firstStep..], WriteIndex: _handedSummary is null);
        _handedSummary = Summary;
        _handedSteps = _steps.Count;
        return audit;
    }
}
