// The end-to-end suite drives PostgreSQL, psql and pgbench the way a Linux host runs them.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
