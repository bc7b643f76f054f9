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

    /// <param name="trail">Which audit the journal is written to: a drill's goes to the drills' tables.</param>
    public RollbackJournal(TaskOrchestrationContext context, RollbackRequest request, Storage.AuditTrail trail = Storage.AuditTrail.Rollbacks)
    {
        _context = context;
        Request = request;
        Trail = trail;
        Policy = request.Policy ?? RollbackPolicy.Default;
        Summary = new RollbackRecord(
            request.RollbackId, request.Component, request.Trigger, request.TargetVersion,
            FromVersion: null, TargetVersion: null, TargetArtifact: null, RollbackPhase.Received,
            StartedAt: Now, Deadline: request.Deadline, BudgetSeconds: Policy.Budget.TotalSeconds);
    }

    public RollbackRequest Request { get; }

    public Storage.AuditTrail Trail { get; }

    public RollbackPolicy Policy { get; }

    public RollbackRecord Summary { get; private set; }

    public DateTimeOffset Now => new(DateTime.SpecifyKind(_context.CurrentUtcDateTime, DateTimeKind.Utc));

    public void Update(Func<RollbackRecord, RollbackRecord> change) => Summary = change(Summary);

    /// <summary>Whether some channel subscribed to <paramref name="lifecycleEvent"/> when the rollback started.</summary>
    public bool Notifies(Notifications.LifecycleEvent lifecycleEvent) => Policy.Notify?.Contains(lifecycleEvent) == true;

    /// <summary>
    /// The audit write before a wait or at the end, carrying the notifications due then, when any is subscribed: one
    /// activity either way (<see cref="Notifications.ScheduleNotificationsActivity"/> writes the audit first, like
    /// <see cref="RecordAuditActivity"/>, and never fails for a notification).
    /// </summary>
    public Task RecordAsync(RecordAuditInput audit, CancellationToken stop, params Notifications.LifecycleNotification[] notifications)
    {
        var due = notifications.Where(n => Notifies(n.Event)).ToList();
        return due.Count == 0
            ? _context.CallAsync<bool>(nameof(RecordAuditActivity), audit, stop)
            : _context.CallAsync<int>(nameof(Notifications.ScheduleNotificationsActivity), new Notifications.ScheduleNotificationsInput(due, audit), stop);
    }

    /// <summary>The phase in the summary and, at once, in the custom status that live readers see.</summary>
    public void EnterPhase(RollbackPhase phase)
    {
        Summary = Summary with { Phase = phase };
        _context.SetCustomStatus(new RollbackCustomStatus(phase, Summary.TargetVersion, Summary.DeploymentId, Summary.FromVersion, Summary.TargetArtifact));
    }

    public void Note(string name, StepStatus status, string? detail) =>
        _steps.Add(new RollbackStep(Request.RollbackId, _steps.Count + 1, name, Summary.Phase, status, Now, detail));

    /// <summary>
    /// The steps noted since the last hand-over, for the next activity to write; null when there are none. The summary
    /// row goes only with <paramref name="withSummary"/>: at the pin, before the wait for the operator and at the end.
    /// In between, live readers take the phase from the custom status, so the audit is not rewritten at every stage.
    /// </summary>
    public RecordAuditInput? Hand(bool withSummary = false) => HandFrom(_handedSteps, withSummary ? Summary : null);

    /// <summary>As <see cref="Hand"/>, with the summary as it stood at <paramref name="summary"/> (e.g. as pinned).</summary>
    public RecordAuditInput? Hand(RollbackRecord summary) => HandFrom(_handedSteps, summary);

    /// <summary>
    /// Everything noted so far: an end hands the whole journal, so rows a failed activity could not write are written
    /// then (the keys are deterministic, so rows already written are rewritten unchanged).
    /// </summary>
    public RecordAuditInput HandAll()
    {
        Rewind();
        return Hand(withSummary: true)!;
    }

    /// <summary>An activity handed the audit failed: the next hand-over carries everything again.</summary>
    public void Rewind()
    {
        _handedSummary = null;
        _handedSteps = 0;
    }

    public static string Format(TimeSpan span) => span.ToString("c", CultureInfo.InvariantCulture);

    private RecordAuditInput? HandFrom(int firstStep, RollbackRecord? summary)
    {
        var summaryChanged = summary is not null && summary != _handedSummary;
        if (!summaryChanged && firstStep == _steps.Count)
        {
            return null;
        }

        var audit = new RecordAuditInput(summaryChanged ? summary : null, _steps[firstStep..], WriteIndex: _handedSummary is null, Trail);
        _handedSummary = summaryChanged ? summary : _handedSummary;
        _handedSteps = _steps.Count;
        return audit;
    }
}
