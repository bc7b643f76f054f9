namespace RollbackFunctions.Cli;

/// <summary>
/// What <c>rollbackctl</c> exits with, so a script can act on the answer without parsing it. Each value means one
/// thing; the README lists them.
/// </summary>
public static class ExitCodes
{
    /// <summary>The call succeeded; for <c>watch</c>/<c>status</c> the rollback ended <c>Succeeded</c>; the gate is open; every component is ready.</summary>
    public const int Ok = 0;

    /// <summary>Something the CLI did not expect (a bug, an answer that is not JSON).</summary>
    public const int Unexpected = 1;

    /// <summary>The command line is wrong: unknown command or option, missing argument, no URL or credential.</summary>
    public const int Usage = 2;

    /// <summary>The API refused the request (problem details printed): validation, conflict, unavailable...</summary>
    public const int ApiError = 3;

    /// <summary>The rollback, component or route does not exist (404).</summary>
    public const int NotFound = 4;

    /// <summary>The credential was refused (401) or lacks the role (403), or no token could be had.</summary>
    public const int NotAuthorized = 5;

    /// <summary>The API could not be reached (connection refused, DNS, timeout).</summary>
    public const int Unreachable = 6;

    /// <summary><c>readiness</c>: at least one component would not accept a rollback now.</summary>
    public const int NotReady = 7;

    /// <summary><c>gate</c>: the deployment gate is closed (a rollback is active or the component is frozen).</summary>
    public const int GateClosed = 8;

    /// <summary><c>status</c>: the rollback has not ended yet; <c>watch --timeout</c>: it had not ended when the watch gave up.</summary>
    public const int InProgress = 9;

    public const int Failed = 10;

    public const int TimedOut = 11;

    /// <summary>The rollback was rejected by a precondition; <c>plan</c>: a rollback now would be.</summary>
    public const int Rejected = 12;

    public const int Unconfirmed = 13;

    public const int Aborted = 14;

    /// <summary>The exit code for a rollback's outcome (API.md "Outcomes and phases"); null: not ended.</summary>
    public static int ForOutcome(string? outcome) => outcome switch
    {
        null => InProgress,
        "Succeeded" => Ok,
        "Failed" => Failed,
        "TimedOut" => TimedOut,
        "Rejected" => Rejected,
        "Unconfirmed" => Unconfirmed,
        "Aborted" => Aborted,
        _ => Unexpected,
    };

    /// <summary>The exit code for an HTTP answer that is not a success.</summary>
    public static int ForStatus(int status) => status switch
    {
        401 or 403 => NotAuthorized,
        404 => NotFound,
        _ => ApiError,
    };
}
