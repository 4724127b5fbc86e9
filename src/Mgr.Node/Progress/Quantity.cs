using System.Globalization;

namespace Mgr.Node.Progress;

/// <summary>Short human renderings of amounts for progress output: IEC byte sizes, rates and durations, invariant
/// culture (a log line reads the same on every machine).</summary>
public static class Quantity
{
    private static readonly string[] ByteUnits = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    /// <summary>"0 B", "999 B", "1.5 KiB", "12.3 MiB": three significant digits above 1 KiB.</summary>
    public static string Bytes(double bytes)
    {
        if (double.IsNaN(bytes) || bytes < 0) bytes = 0;
        int unit = 0;
        while (bytes >= 1024 && unit < ByteUnits.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }
        return unit == 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes:0} B") : $"{Number(bytes)} {ByteUnits[unit]}";
    }

    /// <summary>A byte rate, "1.2 MiB/s", or "-" when unknown.</summary>
    public static string ByteRate(double? bytesPerSecond) => bytesPerSecond is { } rate ? Bytes(rate) + "/s" : "-";

    /// <summary>A count rate, "40.2/s", or "-" when unknown.</summary>
    public static string Rate(double? perSecond) => perSecond is { } rate ? Number(Math.Max(rate, 0)) + "/s" : "-";

    /// <summary>"45s", "3m05s", "2h07m", "3d04h", or "?" when unknown.</summary>
    public static string Duration(TimeSpan? duration)
    {
        if (duration is not { } d) return "?";
        if (d < TimeSpan.Zero) d = TimeSpan.Zero;
        var c = CultureInfo.InvariantCulture;
        if (d.TotalSeconds < 60) return string.Create(c, $"{(int)Math.Ceiling(d.TotalSeconds)}s");
        if (d.TotalMinutes < 60) return string.Create(c, $"{(int)d.TotalMinutes}m{d.Seconds:00}s");
        if (d.TotalHours < 24) return string.Create(c, $"{(int)d.TotalHours}h{d.Minutes:00}m");
        return string.Create(c, $"{(int)d.TotalDays}d{d.Hours:00}h");
    }

    /// <summary>A plain amount: integers as is, else three significant digits ("0.25", "40.2", "1234").</summary>
    public static string Number(double value)
    {
        var c = CultureInfo.InvariantCulture;
        double magnitude = Math.Abs(value);
        if (magnitude >= 100 || value == Math.Floor(value)) return value.ToString("0", c);
        return magnitude >= 10 ? value.ToString("0.0", c) : value.ToString("0.00", c);
    }
}
