namespace RollbackFunctions.Intake;

/// <summary>Limits every intake route applies before anything is stored.</summary>
public static class IntakeLimits
{
    /// <summary>Largest accepted request body; one byte more is 413, whatever Content-Length claims.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public const int MaxJsonDepth = 32;

    /// <summary>Operator names, requesters, incident references, correlation and event ids.</summary>
    public const int MaxShortText = 200;

    /// <summary>Artifact references, resource ids, alert ids.</summary>
    public const int MaxReference = 1024;

    /// <summary>Free text: details, notes, analyses.</summary>
    public const int MaxLongText = 4000;

    /// <summary>Event Grid delivers at most 5,000 events in a batch; CloudEvents batches are capped the same.</summary>
    public const int MaxEventsPerBatch = 5000;

    public const int DefaultHistoryLimit = 20;

    public const int MaxHistoryLimit = 100;
}
