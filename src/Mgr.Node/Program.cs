using Mgr.Node.Cli;
using Mgr.Node.Storage.RocksDb;

MallocArenas.Limit();
return await MgrCommand.RunAsync(args);
