namespace Granary.Cli;

/// <summary>Process exit codes; scripts depend on them, so they never change meaning.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The node rejected the request (validation, not found, auth, server error).</summary>
    public const int ServerError = 1;

    /// <summary>Bad arguments or options, a missing local file, or a refused confirmation.</summary>
    public const int Usage = 2;

    /// <summary>The node could not be reached.</summary>
    public const int CannotConnect = 3;

    /// <summary>Interrupted (Ctrl+C), as shells report SIGINT.</summary>
    public const int Cancelled = 130;
}
