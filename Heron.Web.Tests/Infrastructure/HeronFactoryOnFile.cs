namespace Heron.Web.Tests.Infrastructure;

/// <summary>
/// A <see cref="HeronFactory"/> on a SQLite file the test owns rather than the factory: the file outlives
/// the factory, so a test can stop the app and read what it left behind, or serve a database the CLI wrote.
/// </summary>
public sealed class HeronFactoryOnFile(string databasePath) : HeronFactory(databasePath)
{
    public string FilePath => DatabasePath;
}
