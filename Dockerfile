# The Host image: the portal built with Node, the Host published with the .NET SDK, both copied onto the ASP.NET
# Core runtime image, run as its non-root `app` user. Build from the repository root:
#   docker build -t tenants-host .
# Without a Docker engine, tests/Tenants.EndToEnd.Tests/PublishedHostTests.cs runs the same steps on the machine
# (npm ci + npm run build in ui/, dotnet publish -c Release) and starts the Host from the output.

# --- the portal (ui/dist) ------------------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS portal
WORKDIR /src/ui
COPY ui/package.json ui/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY ui/ ./
RUN npm run build

# --- the Host ----------------------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS host
WORKDIR /src
# Restore first, from the project files alone, so a code change does not download the packages again.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Directory.Build.props src/
COPY src/Tenants.Abstractions/Tenants.Abstractions.csproj src/Tenants.Abstractions/
COPY src/Tenants.Api/Tenants.Api.csproj src/Tenants.Api/
COPY src/Tenants.Edge/Tenants.Edge.csproj src/Tenants.Edge/
COPY src/Tenants.Grains/Tenants.Grains.csproj src/Tenants.Grains/
COPY src/Tenants.Host/Tenants.Host.csproj src/Tenants.Host/
COPY src/Tenants.Infrastructure/Tenants.Infrastructure.csproj src/Tenants.Infrastructure/
COPY src/Tenants.Ledger/Tenants.Ledger.csproj src/Tenants.Ledger/
COPY src/Tenants.PgWire/Tenants.PgWire.csproj src/Tenants.PgWire/
COPY src/Tenants.Policy/Tenants.Policy.csproj src/Tenants.Policy/
RUN dotnet restore src/Tenants.Host/Tenants.Host.csproj
COPY src/ src/
RUN dotnet publish src/Tenants.Host/Tenants.Host.csproj -c Release --no-restore -o /app

# --- the runtime image -------------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
WORKDIR /app
COPY --from=host /app ./
COPY --from=portal /src/ui/dist ./wwwroot
# The writable places the Host needs under its content root: data/ (the edge's audit spool) and .dev/ (when no Key
# Vault and no configured keys are used, the local key files). Mount volumes there to keep them across restarts.
RUN mkdir -p /app/.dev /app/data && chown "$APP_UID" /app/.dev /app/data
ENV ASPNETCORE_ENVIRONMENT=Production \
    Kestrel__Endpoints__Http__Url=http://+:8080 \
    Edge__ListenAddress=0.0.0.0 \
    Edge__Port=6432
# 8080: API, portal, health, metrics. 6432: PostgreSQL (the edge). 11111 / 30000: Orleans silo and gateway.
EXPOSE 8080 6432 11111 30000
USER $APP_UID
HEALTHCHECK NONE
ENTRYPOINT ["dotnet", "Tenants.Host.dll"]
