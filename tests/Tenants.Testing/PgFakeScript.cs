using Tenants.PgWire;

namespace Tenants.Testing;

/// <summary>
/// What a <see cref="PgServerFake"/> does on each connection: what it sends once the StartupMessage is read, and
/// how it answers each message. Callbacks of one connection run one at a time, in order; a callback may send
/// anything (<see cref="PgFakeConnection.SendAsync(byte[][])"/>), close (<see cref="PgFakeConnection.Close"/>,
/// <see cref="PgFakeConnection.Abort"/>) or stall (<see cref="PgFakeConnection.StallAsync"/>). Messages keep being
/// read and recorded while a callback runs.
/// </summary>
public sealed class PgFakeScript
{
    /// <summary>Logs the client in (<see cref="PgFakeConnection.SendLoginAsync"/>) and answers like a server.</summary>
    public static PgFakeScript Default { get; } = new();

    /// <summary>Runs after the StartupMessage is read. By default: AuthenticationOk ... ReadyForQuery.</summary>
    public Func<PgFakeConnection, Task> OnStartup { get; init; } = connection => connection.SendLoginAsync();

    /// <summary>Runs for each typed message the client sends. By default: <see cref="AnswerLikeAServerAsync"/>.</summary>
    public Func<PgFakeConnection, PgMessage, Task> OnMessage { get; init; } = AnswerLikeAServerAsync;

    /// <summary>
    /// Answers roughly as PostgreSQL would, to every statement as if it were <c>SELECT 1</c>: a Query gets
    /// RowDescription, DataRow, <c>SELECT 1</c> and ReadyForQuery (an empty one EmptyQueryResponse); Parse, Bind and
    /// Close get their completions; Describe gets NoData; Execute a row and <c>SELECT 1</c>; Sync ReadyForQuery; Terminate
    /// closes. Anything else (Flush, COPY data, garbage) gets no answer.
    /// </summary>
    public static Task AnswerLikeAServerAsync(PgFakeConnection connection, PgMessage message)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(message);
        switch (message.Code)
        {
            case FrontendMessageCode.Query when string.IsNullOrWhiteSpace(message.FirstString):
                return connection.SendAsync(PgBackendMessages.EmptyQueryResponse(), PgBackendMessages.ReadyForQuery());
            case FrontendMessageCode.Query:
                return connection.SendAsync(
                    PgBackendMessages.RowDescription("?column?"),
                    PgBackendMessages.DataRow("1"),
                    PgBackendMessages.CommandComplete("SELECT 1"),
                    PgBackendMessages.ReadyForQuery());
            case FrontendMessageCode.Parse:
                return connection.SendAsync(PgBackendMessages.ParseComplete());
            case FrontendMessageCode.Bind:
                return connection.SendAsync(PgBackendMessages.BindComplete());
            case FrontendMessageCode.Close:
                return connection.SendAsync(PgBackendMessages.CloseComplete());
            case FrontendMessageCode.Describe:
                return connection.SendAsync(PgBackendMessages.NoData());
            case FrontendMessageCode.Execute:
                return connection.SendAsync(PgBackendMessages.DataRow("1"), PgBackendMessages.CommandComplete("SELECT 1"));
            case FrontendMessageCode.Sync:
                return connection.SendAsync(PgBackendMessages.ReadyForQuery());
            case FrontendMessageCode.Terminate:
                connection.Close();
                return Task.CompletedTask;
            default:
                return Task.CompletedTask;
        }
    }
}
