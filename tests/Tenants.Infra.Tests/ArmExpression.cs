using System.Text;

namespace Tenants.Infra.Tests;

/// <summary>Just enough of the ARM expression syntax to read the arguments of a call.</summary>
internal static class ArmExpression
{
    /// <summary>Splits <c>'a', f(b, c), 'd'</c> at its top-level commas (not those in parentheses or quotes).</summary>
    public static IReadOnlyList<string> SplitArguments(string arguments)
    {
        var result = new List<string>();
        var current = new StringBuilder();
        var depth = 0;
        var quoted = false;
        foreach (var c in arguments)
        {
            if (c == '\'')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == '(')
            {
                depth++;
            }
            else if (!quoted && c == ')')
            {
                depth--;
            }
            else if (!quoted && depth == 0 && c == ',')
            {
                result.Add(current.ToString().Trim());
                current.Clear();
                continue;
            }

            current.Append(c);
        }

        result.Add(current.ToString().Trim());
        return result;
    }

    /// <summary>The text of a quoted literal (<c>'ledger'</c>), or null when the argument is an expression.</summary>
    public static string? Literal(string argument) =>
        argument.Length >= 2 && argument[0] == '\'' && argument[^1] == '\'' && argument.IndexOf('\'', 1) == argument.Length - 1
            ? argument[1..^1]
            : null;
}
