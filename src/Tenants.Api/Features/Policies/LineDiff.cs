namespace Tenants.Api.Features.Policies;

/// <summary>
/// A line diff (longest common subsequence after trimming the common head and tail). Past about four million cells
/// the middle is shown as removed then added, which keeps a 1 MiB document's diff bounded in time and memory.
/// </summary>
internal static class LineDiff
{
    private const long MaxCells = 4_000_000;

    /// <summary>Lines prefixed with <c>' '</c> (same), <c>'-'</c> (only in a) or <c>'+'</c> (only in b).</summary>
    public static List<string> Compare(string[] a, string[] b)
    {
        var head = 0;
        while (head < a.Length && head < b.Length && a[head] == b[head])
        {
            head++;
        }

        var tail = 0;
        while (tail < a.Length - head && tail < b.Length - head && a[^(tail + 1)] == b[^(tail + 1)])
        {
            tail++;
        }

        var result = new List<string>(a.Length + b.Length);
        result.AddRange(a.Take(head).Select(l => " " + l));
        var midA = a[head..(a.Length - tail)];
        var midB = b[head..(b.Length - tail)];
        if ((long)midA.Length * midB.Length > MaxCells)
        {
            result.AddRange(midA.Select(l => "-" + l));
            result.AddRange(midB.Select(l => "+" + l));
        }
        else
        {
            Middle(midA, midB, result);
        }

        result.AddRange(a.Skip(a.Length - tail).Select(l => " " + l));
        return result;
    }

    private static void Middle(string[] a, string[] b, List<string> result)
    {
        // lcs[i, j]: length of the longest common subsequence of a[i..] and b[j..].
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] == b[y])
            {
                result.Add(" " + a[x++]);
                y++;
            }
            else if (lcs[x + 1, y] >= lcs[x, y + 1])
            {
                result.Add("-" + a[x++]);
            }
            else
            {
                result.Add("+" + b[y++]);
            }
        }

        result.AddRange(a.Skip(x).Select(l => "-" + l));
        result.AddRange(b.Skip(y).Select(l => "+" + l));
    }
}
