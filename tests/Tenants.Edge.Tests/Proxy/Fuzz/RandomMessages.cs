using System.Text;
using Tenants.PgWire;
using Tenants.Testing;

namespace Tenants.Edge.Tests.Proxy.Fuzz;

/// <summary>Valid protocol messages of every kind, chosen at random: the material the fuzzer mutates.</summary>
internal static class RandomMessages
{
    private static readonly string[] _sql =
    [
        "select 1", "insert into t values (1), (2)", "update t set a = a + 1 where b = 'x'", "delete from t", "begin",
        "commit", "create table x (a int)", "drop table x", "copy t to stdout", "", " ", "select 'é', '😀'", "select $1::int",
    ];

    public static byte[] Frontend(Random random) => random.Next(14) switch
    {
        0 or 1 => PgFrontendMessages.Query(Sql(random)),
        2 => PgFrontendMessages.Parse(Name(random), Sql(random)),
        3 => PgFrontendMessages.Bind(Name(random), Name(random)),
        4 => PgFrontendMessages.Execute(Name(random), random.Next(0, 3)),
        5 => PgFrontendMessages.Describe(random.Next(2) == 0 ? 'S' : 'P', Name(random)),
        6 => PgFrontendMessages.Close(random.Next(2) == 0 ? 'S' : 'P', Name(random)),
        7 => PgFrontendMessages.Sync(),
        8 => PgFrontendMessages.Flush(),
        9 => PgFrontendMessages.CopyData(Encoding.UTF8.GetBytes("1\tx\n")),
        10 => PgFrontendMessages.CopyDone(),
        11 => PgMessage.Frame(FrontendMessageCode.CopyFail, "no\0"u8),
        12 => PgMessage.Frame(FrontendMessageCode.Password, "secret\0"u8),
        _ => PgBackendMessages.Concat(PgFrontendMessages.ParseBindExecute(Sql(random)), PgFrontendMessages.Sync()),
    };

    public static byte[] Backend(Random random) => random.Next(20) switch
    {
        0 => PgBackendMessages.RowDescription("a", "b"),
        1 => PgBackendMessages.DataRow("1", null, "x"),
        2 => PgBackendMessages.CommandComplete(random.Next(2) == 0 ? "SELECT 3" : "INSERT 0 5"),
        3 => PgBackendMessages.ErrorResponse("42P01", "relation does not exist"),
        4 => PgBackendMessages.NoticeResponse("hello"),
        5 => PgBackendMessages.NotificationResponse(7, "channel", "payload"),
        6 => PgBackendMessages.BackendKeyData(random.Next(), random.Next()),
        7 => PgBackendMessages.Authentication(random.Next(2) == 0 ? 10 : 12, "SCRAM-SHA-256\0\0"u8),
        8 => PgBackendMessages.ReadyForQuery("ITE"[random.Next(3)]),
        9 => PgBackendMessages.ParameterStatus("TimeZone", "UTC"),
        10 => PgBackendMessages.CopyOutResponse(2),
        11 => PgBackendMessages.CopyData("1\tx\n"),
        12 => PgBackendMessages.CopyDone(),
        13 => PgBackendMessages.EmptyQueryResponse(),
        14 => PgBackendMessages.ParseComplete(),
        15 => PgBackendMessages.PortalSuspended(),
        16 => PgBackendMessages.Message(BackendMessageCode.ParameterDescription, [0, 1, 0, 0, 0, 23]),
        17 => PgBackendMessages.Message(BackendMessageCode.NegotiateProtocolVersion, [0, 3, 0, 0, 0, 0, 0, 1, (byte)'x', 0]),
        18 => PgBackendMessages.Message(BackendMessageCode.FunctionCallResponse, [0, 0, 0, 1, 7]),
        _ => PgBackendMessages.Concat(PgBackendMessages.CommandComplete("SELECT 1"), PgBackendMessages.ReadyForQuery()),
    };

    private static string Sql(Random random) => _sql[random.Next(_sql.Length)];

    private static string Name(Random random) => random.Next(3) == 0 ? string.Empty : $"s{random.Next(5)}";
}
