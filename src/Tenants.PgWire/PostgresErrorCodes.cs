namespace Tenants.PgWire;

/// <summary>SQLSTATE codes the proxy itself reports.</summary>
public static class PostgresErrorCodes
{
    public const string ConnectionException = "08000";
    public const string SqlClientUnableToEstablishSqlConnection = "08001";
    public const string SqlServerRejectedEstablishmentOfSqlConnection = "08004";
    public const string ProtocolViolation = "08P01";
    public const string FeatureNotSupported = "0A000";
    public const string InvalidAuthorizationSpecification = "28000";
    public const string InvalidPassword = "28P01";
    public const string InsufficientPrivilege = "42501";
    public const string TooManyConnections = "53300";
    public const string AdminShutdown = "57P01";
    public const string CannotConnectNow = "57P03";
    public const string IdleSessionTimeout = "57P05";
    public const string InternalError = "XX000";
}
