using System.Globalization;

namespace Go1.Bench.OutboxPeer;

/// <summary>CPU time used so far by this process and by the local PostgreSQL server (its live processes plus the backends it has reaped).</summary>
public readonly record struct CpuUse(TimeSpan Process, TimeSpan Postgres)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ: Linux reports /proc times in 1/100 s.

    public static CpuUse Now()
    {
        var postgres = 0L;
        foreach (var stat in Directory.EnumerateDirectories("/proc").Select(d => Path.Combine(d, "stat")))
        {
            string text;
            try
            {
                text = File.ReadAllText(stat);
            }
            catch (IOException)
            {
                continue; // The process ended meanwhile.
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            if (!text.Contains("(postgres)", StringComparison.Ordinal))
            {
                continue;
            }

            // Fields after "(comm)": state ppid ... utime(14) stime(15) cutime(16) cstime(17), numbered from pid = 1.
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
            postgres += Field(14) + Field(15) + Field(16) + Field(17);
        }

        return new CpuUse(System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime, TimeSpan.FromSeconds(postgres / TicksPerSecond));
    }

    public static CpuUse operator -(CpuUse after, CpuUse before) => new(after.Process - before.Process, after.Postgres - before.Postgres);
}
