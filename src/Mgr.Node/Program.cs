using Mgr.Node.Cli;
using Mgr.Node.Storage.RocksDb;

MallocSettings.Apply();
return await MgrCommand.RunAsync(args);
