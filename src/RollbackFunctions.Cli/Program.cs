using RollbackFunctions.Cli;

return await RollbackCtl.RunAsync(args, CliHost.FromProcess()).ConfigureAwait(false);
