namespace Mgr.Node.Dashboard;

/// <summary>The dashboard could not start listening (port taken, address not local, no permission).</summary>
public sealed class DashboardException : Exception
{
    public DashboardException(string message) : base(message) { }

    public DashboardException(string message, Exception innerException) : base(message, innerException) { }

    public DashboardException() : this("the dashboard could not start") { }
}
