using Fleet.Domain.Inventory;

namespace Fleet.Tests.Domain.Inventory;

public sealed class AccountKindsTests
{
    [Theory]
    [InlineData(0, false)]
    [InlineData(33, false)]
    [InlineData(999, false)]
    [InlineData(1000, true)]
    [InlineData(59_999, true)]
    [InlineData(65_534, false)]
    public void People_HaveIdsFromLoginDefsRange_RootServicesAndNobodyDoNot(int id, bool person)
    {
        Assert.Equal(person, new UserAccount("someone", id, id, "/home/someone", "/bin/sh", null).IsPerson());
        Assert.Equal(person, new UserGroup("some-group", id, []).IsPerson());
    }
}
