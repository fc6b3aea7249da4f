# Build: the SDK image publishes the site. scripts/publish-smoke.sh runs the same publish command
# and starts its output, so CI checks what this image would contain without a Docker engine.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore on its own first, so the package layer is reused while only sources change.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY Heron.Web/Heron.Web.csproj Heron.Web/
RUN dotnet restore Heron.Web/Heron.Web.csproj
COPY . .
RUN dotnet publish Heron.Web/Heron.Web.csproj -c Release -o /app/publish

# Run: the ASP.NET runtime only, as the image's non-root 'app' user, on port 8080.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app/publish .
# The default SQLite file is App_Data/heron.db under /app; the app user must be able to create it.
# Mount a volume there (-v heron-data:/app/App_Data) to keep the data across containers.
RUN mkdir -p /app/App_Data && chown "$APP_UID" /app/App_Data
USER $APP_UID
# Outside Development Heron refuses to start without a PFX for its key ring, e.g.
#   docker run -v heron-data:/app/App_Data -v /secrets/heron-dp.pfx:/run/secrets/dp.pfx:ro \
#     -e DataProtection__CertificatePath=/run/secrets/dp.pfx -e DataProtection__CertificatePassword=… \
#     -e Heron__BaseUrl=https://heron.example.com -e Email__Smtp__Host=smtp.example.com -p 8080:8080 heron
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080
ENTRYPOINT ["dotnet", "Heron.Web.dll"]
