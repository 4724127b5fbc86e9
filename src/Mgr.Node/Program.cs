using Mgr.Node.Cli;

return await MgrCommand.RunAsync(args);
