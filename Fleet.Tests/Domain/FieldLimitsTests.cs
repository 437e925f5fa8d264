using Fleet.Domain;

namespace Fleet.Tests.Domain;

public sealed class FieldLimitsTests
{
    [Theory]
    [InlineData(255, false)]
    [InlineData(256, true)]
    public void Name_IsRefusedOver255Characters(int length, bool refused) =>
        Assert.Equal(refused, FieldLimits.Name(new string('n', length)) is not null);

    [Fact]
    public void Script_CountsUtf8BytesNotCharacters()
    {
        // 'é' is two bytes in UTF-8: 600 of them are 1200 bytes though only 600 characters.
        Assert.Null(FieldLimits.Script(new string('é', 600), 1200));
        Assert.Contains("1199", FieldLimits.Script(new string('é', 600), 1199));
    }

    [Theory]
    [InlineData(64 * 1024, false)]
    [InlineData(64 * 1024 + 1, true)]
    public void InputValue_IsRefusedOver64Kilobytes(int bytes, bool refused) =>
        Assert.Equal(refused, FieldLimits.InputValue(new string('v', bytes)) is not null);

    [Fact]
    public void Absent_IsNeverOverALimit()
    {
        Assert.Null(FieldLimits.Name(null));
        Assert.Null(FieldLimits.Script(null, 1));
        Assert.Null(FieldLimits.InputValue(null));
    }
}
