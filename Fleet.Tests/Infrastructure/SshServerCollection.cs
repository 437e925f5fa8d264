namespace Fleet.Tests.Infrastructure;

/// <summary>One private sshd for every test that needs one: starting it (and the user behind it) once is enough.</summary>
[CollectionDefinition(Name)]
public sealed class SshServerCollection : ICollectionFixture<SshServer>
{
    public const string Name = "sshd";
}
