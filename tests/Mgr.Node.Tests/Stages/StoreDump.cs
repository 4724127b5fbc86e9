using Mgr.Node.Storage;

namespace Mgr.Node.Tests.Stages;

/// <summary>Every entry of a store as text lines, to compare two stores exactly.</summary>
public static class StoreDump
{
    public static List<string> Of(IKeyValueReader store)
    {
        var lines = new List<string>();
        foreach (StoreColumn column in Schema.Columns)
        {
            using IRangeCursor cursor = store.Iterate(column, default, default);
            while (cursor.MoveNext())
                lines.Add($"{column.Name} {Convert.ToHexString(cursor.Key)} {Convert.ToHexString(cursor.Value)}");
        }
        return lines;
    }
}
